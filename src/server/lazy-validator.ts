// The SDK's Server builds an Ajv instance (with all its formats) in its constructor: ~2 ms at
// every start and for every HTTP session, though the server only needs it to check elicitation
// answers. One shared instance, made on first use, serves every session.

import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv-provider.js";
import type { jsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/types.js";

let ajv: AjvJsonSchemaValidator | undefined;

export const lazyValidator: jsonSchemaValidator = {
  getValidator(schema) {
    ajv ??= new AjvJsonSchemaValidator();
    return ajv.getValidator(schema);
  },
};
