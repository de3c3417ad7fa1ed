#!/bin/sh
# The Debian packages whose versions decide the golden pixels, one a line.
for p in fonts-wqy-zenhei xfonts-wqy fonts-noto-cjk libfreetype6 libharfbuzz0b; do
    printf '%s %s\n' "$p" "$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo none)"
done
