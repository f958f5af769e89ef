// Burgerservicenummer check: the 11-proef, so only numbers that can be a real
// BSN are reported (an ordinary 9-digit amount or code mostly fails it).

/** 9 digits (8 with an implied leading zero), weights 9…2 and −1, sum divisible by 11, not all zeros. */
export function isValidBsn(raw: string): boolean {
  const digits = raw.replace(/[\s.-]/g, '');
  if (!/^\d{8,9}$/.test(digits)) return false;
  const d = digits.padStart(9, '0');
  if (/^0+$/.test(d)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(d[i]) * (9 - i);
  sum -= Number(d[8]);
  return sum % 11 === 0;
}
