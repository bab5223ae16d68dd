// The synthetic cluster's hop graph in memory (bench/synthetic-kubernetes.ts analysed and made an
// inventory as a sync does), for the scripts that study the reachability summary without Neo4j.
import { analyzeKubernetes } from '../src/analyzers/kubernetes/analyze.js';
import { MemoryGraph } from '../src/answers/memory-graph.js';
import { transformKubernetes } from '../src/collectors/kubernetes/transform.js';
import { validateInventory } from '../src/model/validate.js';
import { buildKubernetesInventory } from '../src/providers/kubernetes/inventory.js';
import { log } from './lib.js';
import { syntheticKubernetesRaw } from './synthetic-kubernetes.js';

export async function syntheticHopGraph(pods: number, seed: number) {
  log(`synthetic cluster, ${pods} pods (seed ${seed}): analysing…`);
  const { raw } = syntheticKubernetesRaw({ pods, seed });
  const environment = transformKubernetes(raw);
  const analysis = await analyzeKubernetes(environment);
  const valid = validateInventory(
    buildKubernetesInventory(environment, analysis, { sourceName: 'shape' }),
    'shape',
  );
  const memory = MemoryGraph.fromInventory(valid);
  const { graph, ids } = memory.hopGraph({ endingHops: false, ending: 'CAN_ACCESS', endsAt: ['Resource'] });
  const kindOf = (i: number) => memory.node(ids[i] as string)?.kind ?? '?';
  return { memory, graph, ids, kindOf };
}
