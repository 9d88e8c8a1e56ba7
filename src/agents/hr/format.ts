/** "1 person", "2 people"; "1 candidate", "2 candidates". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
