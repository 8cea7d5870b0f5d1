/**
 * The claims page: every claim of the paper's abstract with its verdict, the comparison it rests
 * on and links to its figure and runs, from a Markdown source (`reports/claims.md`) whose
 * numbers are placeholders filled from the tables, like the findings.
 *
 * @module
 */

import { marked } from "marked";
import { join } from "node:path";
import { writeFileAtomic } from "../csv.ts";
import { htmlPage } from "../render.ts";
import { incompleteNotice, type Manifest, manifestBlock, type PageContext } from "./shared.ts";

/** The claims page's file name in the report folder. */
export const CLAIMS_PAGE = "claims.html";

/**
 * Writes `claims.html` from the filled Markdown of the claims, with the study's manifest.
 *
 * @example
 * ```ts ignore
 * const path = await claimsPage(ctx, filledClaims, manifest, "depth-study");
 * ```
 */
export async function claimsPage(
  ctx: PageContext,
  claims: string,
  studyManifest: Manifest | null,
  studyName: string,
): Promise<string> {
  const path = join(ctx.out, CLAIMS_PAGE);
  await writeFileAtomic(
    path,
    await htmlPage({
      title: "The paper's claims, one by one",
      nav: ctx.nav,
      blocks: [
        ...incompleteNotice(studyManifest),
        { kind: "html", html: `<section class="claims">\n${await marked.parse(claims)}</section>` },
        manifestBlock(studyManifest, studyName),
      ],
    }),
  );
  return path;
}
