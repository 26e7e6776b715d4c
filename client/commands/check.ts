import type { Command } from 'commander';

export function registerCheckCommand(_program: Command): void {
  // placeholder until the check command lands
}
