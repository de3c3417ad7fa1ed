#!/bin/sh
# A font removed while the ticker runs (a package upgrade), issue 14. The
# ticker uses a private copy of a font chain (its own fonts.conf naming one
# font directory): WenQuanYi Zen Hei Sharp at 12-16 px, then DejaVu Sans.
# DejaVuSans.ttf is deleted mid-run and the config saved: the reload falls
# back with one warning naming the family and its Debian package, frames go
# on at the frame rate, the strips already rendered keep playing, and
# `check` names the missing family and the package.
. tests/e2e/tools/common.sh
. tests/e2e/tools/faults.sh
cp -R boards "$T/boards"
zenhei=$(fc-list -f '%{file}\n' 'WenQuanYi Zen Hei Sharp' | head -1)
dejavu=$(fc-list -f '%{file}\n' 'DejaVu Sans:style=Book' | head -1)
[ -n "$zenhei" ] && [ -n "$dejavu" ] || fail "fonts-wqy-zenhei and fonts-dejavu-core are needed (packaging/deps.sh)"
mkdir -p "$T/fonts" "$T/files" "$T/cache"
ln -s "$zenhei" "$T/files/"
cp "$dejavu" "$T/files/DejaVuSans.ttf"
printf 'WenQuanYi Zen Hei Sharp 12-16\nDejaVu Sans\n' > "$T/fonts/default.chain"
cat > "$T/fonts/fonts.conf" <<XML
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>$T/files</dir>
  <cachedir>$T/cache</cachedir>
  <selectfont><acceptfont>
    <pattern><patelt name="family"><string>WenQuanYi Zen Hei Sharp</string></patelt></pattern>
  </acceptfont></selectfont>
</fontconfig>
XML
faults_config "$T/t.ini" "$T/play.log"
"$LT" check -c "$T/t.ini" --boards "$T/boards" --fonts-dir "$T/fonts" > "$T/check.ok" 2>&1 \
    || fail "check with every font: $(cat "$T/check.ok")"

"$LT" -v run -c "$T/t.ini" --boards-dir "$T/boards" --fonts-dir "$T/fonts" --output "record:$T/rec" \
    --clock-start "2026-03-02 09:00" --clock-rate 5 --seconds 100 --state-file "$T/state" 2>"$T/err" &
pid=$!
wait_for "$T/play.log" "$ID2" 20
rm "$T/files/DejaVuSans.ttf"
touch "$T/t.ini"
wait_for "$T/err" "reloaded $T/t.ini" 20
wait $pid || fail "run exit $?: $(fault_lines "$T/err")"
fault_lines "$T/err" > "$T/faults"
cat "$T/faults"
[ "$(wc -l < "$T/faults")" -eq 1 ] || fail "expected one warning for the missing face"
grep -q "warning: font family 'DejaVu Sans' not found (Debian package fonts-dejavu-core: .*); using 'WenQuanYi Zen Hei" "$T/faults" \
    || fail "the warning does not name the family, the package and the fallback"
# The reload was taken, and passes went on after it.
at=$(sed -n 's/.*info: reloaded .* at 2026-03-02 09:\([0-9][0-9]\):\([0-9][0-9]\);.*/\1:\2/p' "$T/err")
awk -v at="2026-03-02T09:$at" '$1 > at' "$T/play.log" | grep -q . || fail "no pass after the reload at $at"
check_frames "$T/rec" 1 5

# check names the missing family and where it comes from.
"$LT" check -c "$T/t.ini" --boards "$T/boards" --fonts-dir "$T/fonts" > "$T/check.out" 2>&1
grep -q "font family 'DejaVu Sans' not found (Debian package fonts-dejavu-core" "$T/check.out" \
    || fail "check does not name the missing family and package: $(cat "$T/check.out")"
