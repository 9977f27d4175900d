/** Per-table progress on stderr: a redrawn bar on a terminal, a line every few seconds otherwise. */
export type Progress = {
  start(table: string, expected: { rows: number; exact: boolean }): void;
  advance(rows: number): void;
  finish(rows: number): void;
  /** A line of its own (not overwritten by the bar). */
  note(message: string): void;
};

export const silentProgress: Progress = { start() {}, advance() {}, finish() {}, note() {} };

const REDRAW_MS = 100;
const LINE_EVERY_MS = 5_000;
const BAR_WIDTH = 28;

const count = (value: number) => value.toLocaleString('en-US');

export function stderrProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  let table = '';
  let expected = { rows: 0, exact: true };
  let done = 0;
  let startedAt = 0;
  let shownAt = 0;

  const rate = () => Math.round(done / Math.max(0.001, (performance.now() - startedAt) / 1000));
  const total = () => `${expected.exact ? '' : '~'}${count(expected.rows)}`;
  const describe = () => `${table.padEnd(22)} ${count(done).padStart(11)} / ${total().padEnd(12)} ${count(rate()).padStart(9)} rows/s`;
  const bar = () => {
    const filled = expected.rows > 0 ? Math.min(BAR_WIDTH, Math.round((done / expected.rows) * BAR_WIDTH)) : BAR_WIDTH;
    return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  };
  const show = (final: boolean) => {
    if (tty) stream.write(`\r\x1b[K${bar()} ${describe()}${final ? '\n' : ''}`);
    else stream.write(`${describe()}${final ? ' done' : ''}\n`);
  };

  return {
    start(name, rows) {
      table = name;
      expected = rows;
      done = 0;
      startedAt = shownAt = performance.now();
      if (tty) show(false);
    },
    advance(rows) {
      done += rows;
      const now = performance.now();
      if (now - shownAt >= (tty ? REDRAW_MS : LINE_EVERY_MS)) {
        shownAt = now;
        show(false);
      }
    },
    finish(rows) {
      done = rows;
      show(true);
    },
    note(message) {
      stream.write(`${message}\n`);
    },
  };
}
