/** Seals personal data before it is stored; the ciphertext is opaque to the domain. */
export interface PiiCipher {
  seal(plaintext: string): string;
  open(sealed: string): string;
}
