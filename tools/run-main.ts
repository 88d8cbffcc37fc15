/**
 * How every course command ends: run `main` with the command-line arguments,
 * exit with its status, and print a thrown error's message (not a stack
 * trace) with status 1.
 */
export function runMain(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (status) => (process.exitCode = status),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
