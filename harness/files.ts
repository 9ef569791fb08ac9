// The one way the lab walks a folder: sorted, relative `/`-separated paths, node_modules and dot
// entries left out unless told otherwise, and symbolic links never followed nor listed, since a
// folder someone else sent (a submission) may link to anything on the machine.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface TreeEntry {
  /** Relative to the folder walked, with `/` separators. */
  path: string;
  folder: boolean;
  /** In bytes; 0 for a folder. */
  size: number;
}

export interface WalkOptions {
  /** Entries left out by name, with all they hold (default: node_modules and dot entries). */
  skipName?: (name: string) => boolean;
  /** Entries left out by relative path, with all they hold. */
  skipPath?: (path: string) => boolean;
  /** List folders too, each before what it holds (default: files only). */
  folders?: boolean;
}

export const NOT_SOURCE = (name: string) => name === 'node_modules' || name.startsWith('.');

export function walkTree(root: string, { skipName = NOT_SOURCE, skipPath = () => false, folders = false }: WalkOptions = {}): TreeEntry[] {
  const found: TreeEntry[] = [];
  const visit = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      if (skipName(name) || skipPath(path)) continue;
      const stat = lstatSync(join(root, path));
      if (stat.isDirectory()) {
        if (folders) found.push({ path, folder: true, size: 0 });
        visit(path);
      } else if (stat.isFile()) found.push({ path, folder: false, size: stat.size });
    }
  };
  visit('');
  return found;
}
