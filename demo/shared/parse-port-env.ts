/**
 * Reads a bank process's port from the environment; a bad value ends the process with a message.
 */
export function parsePortEnv(bankName: string, variable: string, fallback: string): number {
  const portText = process.env[variable] ?? fallback;
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    console.error(`${bankName}: expected ${variable} to be a port number 0–65535, received ${JSON.stringify(portText)}`);
    process.exit(1);
  }
  return port;
}
