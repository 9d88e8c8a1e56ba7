/** A stable id fragment: "D-007" -> "d-007", "Acme Corp" -> "acme-corp". */
export function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
