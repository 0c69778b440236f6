import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Where a server's CPU time goes, from a V8 CPU profile (`node --cpu-prof`): self time grouped into
 * the layers of a request, in milliseconds per request. Time the process spent waiting (idle) is left
 * out: that is PostgreSQL's and the network's time, measured separately.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export const LAYERS = [
  'garbage collection',
  'socket writes (kernel: responses out, SQL in)',
  'PostgreSQL protocol and row parsing (pg)',
  'GraphQL execution (graphql-jit, graphql-js, type-graphql)',
  'Apollo Server pipeline and JSON',
  'DataLoader',
  "this service's resolvers, loaders and connections",
  'Node runtime and other',
] as const;

export type Layer = (typeof LAYERS)[number];

function layerOf(frame: ProfileNode['callFrame']): Layer | 'idle' {
  const { functionName: name, url } = frame;
  if (name === '(idle)') return 'idle';
  if (name === '(garbage collector)') return 'garbage collection';
  if (/^(writev|writeBuffer|writeUtf8String|writeLatin1String|utf8Write|write)$/.test(name) && !url) return 'socket writes (kernel: responses out, SQL in)';
  if (/node_modules\/(pg|pg-protocol|pg-types|pg-pool|postgres-[a-z]+|pgpass)\//.test(url) || (!url && /^(utf8Slice|latin1Slice)$/.test(name)) || /^RegExp: .*\\d\{1,\}/.test(name)) {
    return 'PostgreSQL protocol and row parsing (pg)';
  }
  if (/node_modules\/(graphql|graphql-jit|type-graphql|graphql-query-complexity)\//.test(url) || (!url && /Handler$|^__context/.test(name))) {
    return 'GraphQL execution (graphql-jit, graphql-js, type-graphql)';
  }
  if (/node_modules\/@apollo\//.test(url) || (!url && name === 'stringify')) return 'Apollo Server pipeline and JSON';
  if (/node_modules\/dataloader\//.test(url)) return 'DataLoader';
  if (/\/dist\//.test(url) && !url.includes('node_modules')) return "this service's resolvers, loaders and connections";
  return 'Node runtime and other';
}

/** Milliseconds of CPU by layer (idle left out), from the profile files in `dir`. */
export async function readProfile(dir: string): Promise<Record<Layer, number>> {
  const byLayer = Object.fromEntries(LAYERS.map((l) => [l, 0])) as Record<Layer, number>;
  for (const file of await fs.readdir(dir)) {
    if (!file.endsWith('.cpuprofile')) continue;
    const profile = JSON.parse(await fs.readFile(path.join(dir, file), 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const layer = layerOf(nodes.get(id)!.callFrame);
      if (layer !== 'idle') byLayer[layer] += (profile.timeDeltas[i] ?? 0) / 1000;
    });
  }
  return byLayer;
}

/** Per request: (loaded - baseline) / requests, the baseline being a run that only started and stopped. */
export function perRequest(loaded: Record<Layer, number>, baseline: Record<Layer, number>, requests: number): Record<Layer, number> {
  return Object.fromEntries(LAYERS.map((l) => [l, Math.max(0, loaded[l] - baseline[l]) / Math.max(1, requests)])) as Record<Layer, number>;
}
