import type { Command } from 'commander';

export function registerDrillCommand(_program: Command): void {
  // placeholder until the drill command lands
}
