import { defineCommand } from "citty";

export const roleCommand = defineCommand({
  meta: {
    name: "role",
    description: "Print the pveum commands for a least-privilege role, user and token",
  },
  run() {},
});
