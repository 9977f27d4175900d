import { DEFAULT_OPTIONS, type FanoutOptions } from './run';

const FLAGS = {
  '--subscribers': 'subscribers',
  '--connections': 'connections',
  '--members': 'members',
  '--comments': 'comments',
  '--interval-ms': 'intervalMs',
  '--drain-ms': 'drainMs',
  '--instances': 'instances',
} as const;

/** `--subscribers 1000 --connections 20,1000 --comments 50 --interval-ms 100 --members 20 --drain-ms 60000 --instances 1`. */
export function parseFanoutArgs(args: readonly string[]): FanoutOptions {
  const options: FanoutOptions = { ...DEFAULT_OPTIONS };
  for (let i = 0; i < args.length; i += 2) {
    const key = FLAGS[args[i] as keyof typeof FLAGS];
    const value = args[i + 1];
    if (!key || value === undefined) throw new Error(`bench:fanout: unknown or incomplete option ${args[i]} (known: ${Object.keys(FLAGS).join(', ')})`);
    const numbers = value.split(',').map(Number);
    if (numbers.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`bench:fanout: ${args[i]} takes positive integers`);
    if (key === 'connections') options.connections = numbers;
    else options[key] = numbers[0]!;
  }
  return options;
}
