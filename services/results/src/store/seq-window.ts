/**
 * The `limit` smallest seqs above a cursor, gathered from chunks read in first-seq order: once it
 * holds `limit` records, a chunk starting above the largest of them cannot change it.
 */
export class SeqWindow<T extends { readonly seq: number }> {
  #records: T[] = [];
  #sorted = true;

  constructor(
    private readonly afterSeq: number,
    private readonly limit: number,
  ) {}

  add(records: readonly T[]): void {
    for (const record of records) if (record.seq > this.afterSeq) this.#records.push(record);
    this.#sorted = false;
  }

  /** True when a chunk whose first seq is `firstSeq` cannot hold any of the wanted records. */
  full(firstSeq: number): boolean {
    if (this.#records.length < this.limit) return false;
    const last = this.records()[this.limit - 1] as T;
    return firstSeq > last.seq;
  }

  records(): T[] {
    if (!this.#sorted) {
      this.#records.sort((a, b) => a.seq - b.seq);
      if (this.#records.length > this.limit) this.#records.length = this.limit;
      this.#sorted = true;
    }
    return this.#records;
  }
}
