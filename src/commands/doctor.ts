import { defineCommand } from "citty";

export const doctorCommand = defineCommand({
  meta: {
    name: "doctor",
    description: "Check the connection, certificate, credentials and privileges",
  },
  run() {},
});
