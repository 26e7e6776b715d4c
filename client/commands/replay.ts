import type { Command } from 'commander';

export function registerReplayCommand(_program: Command): void {
  // placeholder until the replay command lands
}
