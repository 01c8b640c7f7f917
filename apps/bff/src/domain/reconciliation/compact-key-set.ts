/**
 * An exact set of short string keys (out_trade_no, transaction_id) stored as UTF-8 bytes in one
 * growing buffer, with an open-addressing index of offsets. A bill of 500 000 rows holds two such
 * sets for the whole run: as JavaScript strings in a `Set` that is ~100 MB of small heap objects
 * for the garbage collector to walk; here it is ~20 bytes a key and two typed arrays.
 */
export class CompactKeySet {
  #bytes: Buffer = Buffer.allocUnsafe(1 << 16);
  #used = 0;
  /** Slot → 1 + offset of the key's record (length byte + bytes) in #bytes; 0 = empty. */
  #slots = new Uint32Array(1 << 12);
  #size = 0;
  readonly #scratch = Buffer.allocUnsafe(256);

  get size(): number {
    return this.#size;
  }

  has(key: string): boolean {
    return this.#find(this.#encode(key)) === -1;
  }

  /** Adds the key; false when it was already there. */
  add(key: string): boolean {
    const length = this.#encode(key);
    const slot = this.#find(length);
    if (slot < 0) return false;
    if (this.#used + 1 + length > this.#bytes.length) this.#bytes = grow(this.#bytes, this.#used + 1 + length);
    this.#bytes[this.#used] = length;
    this.#scratch.copy(this.#bytes, this.#used + 1, 0, length);
    this.#slots[slot] = this.#used + 1;
    this.#used += 1 + length;
    this.#size += 1;
    if (this.#size * 2 > this.#slots.length) this.#rehash();
    return true;
  }

  /** The key's bytes into the scratch buffer; keys are identifiers, at most 255 bytes. */
  #encode(key: string): number {
    if (key.length > 85 && Buffer.byteLength(key, 'utf8') > 255) throw new RangeError('CompactKeySet keys are at most 255 bytes');
    return this.#scratch.write(key, 0, 'utf8');
  }

  /** The scratch key's slot: the empty slot to fill (≥ 0), or -1 when the key is present. */
  #find(length: number): number {
    const mask = this.#slots.length - 1;
    for (let slot = hash(this.#scratch, length) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot] ?? 0;
      if (entry === 0) return slot;
      const at = entry - 1;
      if (this.#bytes[at] === length && this.#bytes.compare(this.#scratch, 0, length, at + 1, at + 1 + length) === 0) return -1;
    }
  }

  #rehash(): void {
    const old = this.#slots;
    this.#slots = new Uint32Array(old.length * 2);
    const mask = this.#slots.length - 1;
    for (const entry of old) {
      if (entry === 0) continue;
      const at = entry - 1;
      let slot = hash(this.#bytes.subarray(at + 1), this.#bytes[at] ?? 0) & mask;
      while (this.#slots[slot] !== 0) slot = (slot + 1) & mask;
      this.#slots[slot] = entry;
    }
  }
}

/** FNV-1a over the key's bytes. */
function hash(bytes: Uint8Array, length: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < length; i += 1) h = Math.imul(h ^ (bytes[i] ?? 0), 0x01000193);
  return h >>> 0;
}

function grow(bytes: Buffer, needed: number): Buffer {
  const next = Buffer.allocUnsafe(Math.max(needed, bytes.length * 2));
  bytes.copy(next);
  return next;
}
