/**
 * Where a command writes: its output and its messages. `main` and each
 * command take one, so tests run them in-process and read what they wrote.
 * (Its own module so commands need not import main, which imports them.)
 */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}
