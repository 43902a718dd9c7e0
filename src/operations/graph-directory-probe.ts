/**
 * The teardown check's view of the directory, over infra/graph's client: a GET that answers
 * `undefined` for 404 (the object is gone) and lets every other failure through, so a missing
 * permission can never pass for "nothing left".
 */
import type { DirectoryProbe } from "./teardown-check";

export interface GraphDirectoryClient {
  get<T>(path: string): Promise<T>;
  list<T>(path: string, options?: { readonly query?: Readonly<Record<string, string>> }): Promise<T[]>;
}

export function graphDirectoryProbe(graph: GraphDirectoryClient): DirectoryProbe {
  return {
    async getObject(path) {
      try {
        return await graph.get<Record<string, unknown>>(path);
      } catch (error) {
        if ((error as { status?: number }).status === 404) return undefined;
        throw error;
      }
    },
    listObjects: (collectionPath, filter) =>
      graph.list<Record<string, unknown>>(collectionPath, { query: { $filter: filter } }),
  };
}
