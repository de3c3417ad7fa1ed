#!/usr/bin/python3
"""The solar terms (节气) whose Beijing date liblunar-date gets wrong.

liblunar-date 3.0.1 (year_jieqi in lunar-date-utils.c) places each term
with a mean-year formula (365.2422 days a year plus a fixed offset per
term), truncated to a day. The real instant wanders up to about two hours
from that mean, so a term within two hours of midnight in Beijing can land
on the wrong day: 183 of the 4776 terms of 1901-2099, among them 芒种 2026
(5 June 23:48 Beijing time; the library says 6 June).

This script finds every term's instant from an ephemeris (PyEphem, Debian's
python3-ephem: VSOP87, apparent geocentric longitude of date, UT), turns it
into a Beijing date (UTC+8), compares it with the library's own date (asked
through its GObject introspection, gir1.2-lunardate-3.0, under LANG=C) and
prints the C rows of src/schedule/lunar.c's errata table.

It is run by hand when the library changes, never at build or test time:
    LANG=C python3 tests/tools/solar_terms_errata.py 1901 2099 > rows.txt
"""
import datetime
import math
import sys

import ephem
import gi

gi.require_version('LunarDate', '3.0')
from gi.repository import LunarDate  # noqa: E402

# The library's names in the C locale, in order from 小寒, as prefixes (it
# glues some to the next term and cuts 霜降 short; see lunar.c).
PINYIN = ['Xiǎohán', 'Dàhán', 'Lìchūn', 'Yǔshuǐ', 'Jīngzhé', 'Chūnfēn', 'Qīngmíng',
          'Gǔyǔ', 'Lìxià', 'Xiǎomǎn', 'Mángzhòng', 'Xiàzhì', 'Xiǎoshǔ', 'Dàshǔ',
          'Lìqīu', 'Chùshǔ', 'Báilòu', 'Qīufēn', 'Hánlòu', 'Shuāngjià', 'Lìdōng',
          'Xiǎoxuě', 'Dàxuě', 'Dōngzhì']


def library_terms(year):
    """{term index: (month, day)} as liblunar-date places them."""
    out = {}
    date = LunarDate.Date.new()
    day = datetime.date(year, 1, 1)
    while day.year == year:
        date.set_solar_date(day.year, day.month, day.day, 12)
        for name in (date.get_holiday('|') or '').split('|'):
            for n, p in enumerate(PINYIN):
                if name.startswith(p):
                    out[n] = (day.month, day.day)
        day += datetime.timedelta(days=1)
    return out


def apparent_longitude(d):
    sun = ephem.Sun()
    sun.compute(d, epoch=d)
    ecl = ephem.Ecliptic(ephem.Equatorial(sun.g_ra, sun.g_dec, epoch=d), epoch=d)
    return math.degrees(ecl.lon)


def term_instant(year, n):
    """Term n (0 = 小寒) of a Gregorian year, as an ephem.Date (UT)."""
    target = (285 + 15 * n) % 360
    d = ephem.Date('%d/1/1' % year) + n * 15.2184 + 4
    for _ in range(60):
        diff = (target - apparent_longitude(d) + 180) % 360 - 180
        d = ephem.Date(d + diff / 0.9856)
        if abs(diff) < 1e-7:
            break
    return d


def main():
    rows = []
    for y in range(int(sys.argv[1]), int(sys.argv[2]) + 1):
        library = library_terms(y)
        for n in range(24):
            bj = ephem.Date(term_instant(y, n) + 8 * ephem.hour).tuple()
            if (bj[1], bj[2]) == library.get(n):
                continue
            rows.append('{ %d, %2d, %2d, %2d },' % (y, n, bj[1], bj[2]))
    for i in range(0, len(rows), 4):
        print('    ' + ' '.join(rows[i:i + 4]))


if __name__ == '__main__':
    main()
