/**
 * zipimport's `_parse_dostime`: an entry's MS-DOS date and time as seconds since the epoch, to compare with
 * a pyc header's source mtime. CPython converts with `time.mktime`, i.e. in the local time zone; importkit
 * reads the fields as UTC, the zone the oracle runs CPython in (`TZ=UTC`). Out-of-range fields (month 0,
 * hour 31, …) are normalised the way `mktime` normalises them.
 */
export function parseDosTime(date: number, time: number): number {
  const ms = Date.UTC(
    (date >> 9) + 1980,
    ((date >> 5) & 0xf) - 1,
    date & 0x1f,
    time >> 11,
    (time >> 5) & 0x3f,
    (time & 0x1f) * 2,
  );
  return ms / 1000;
}
