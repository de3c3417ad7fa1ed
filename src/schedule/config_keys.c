/* config_keys — the one table of what a config may say: section, key,
 * parser, bounds, default, type and doc line (see config.h). */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "schedule/config_internal.h"

#define D(f) offsetof(struct config_display, f)
#define M(f) offsetof(struct config_message, f)
#define F(f) offsetof(struct config_fleet, f)

static const struct config_key rows[] = {
    /* section, key, parser, min, max, default, field, type, doc */
    { "display", "board", config_value_board, 0, 0, "", D(board), "NAME",
      "board description under boards/ (geometry when no controller answers)" },
    { "display", "output", config_value_output, 0, 0, "auto", D(output), "auto|usb|sim|term|record:PATH",
      "where frames go; auto = the USB controller if one answers, else the simulator" },
    { "display", "font", config_value_font, 0, 0, "", D(font), "FAMILY[,FALLBACK...]",
      "font family chain; empty = the default chain (fonts/default.chain)" },
    { "display", "size", config_value_int, 6, 256, "16", D(size), "PX", "text size in pixels, as ledticker render --size" },
    { "display", "mode", config_value_mode, 0, 0, "mono", D(mode), "mono|gray", "rasterizing mode, as ledticker render --mode" },
    { "display", "speed", config_value_speed, 1, 2000, "32", D(speed), "PX_PER_S | N cps",
      "scroll speed: pixels per second, or characters per second with 'cps' (0.5-50)" },
    { "display", "brightness", config_value_int, 0, 100, "80", D(brightness), "PERCENT", "panel brightness" },
    { "display", "brightness_night", config_value_int, 0, 100, "30", D(brightness_night), "PERCENT",
      "brightness during the night window" },
    { "display", "night", config_value_hours, 0, 1, "", D(night), "HH:MM-HH:MM",
      "when brightness_night applies, e.g. 22:00-06:00; empty = never" },
    { "display", "off", config_value_hours, 0, CONFIG_MAX_WINDOWS, "", D(off), "HH:MM-HH:MM[, ...]",
      "hours with the panel dark; empty = never" },
    { "display", "idle", config_value_idle, 0, 0, "clock", D(idle), "clock|blank|text:WORDS",
      "what shows when no message is active" },
    { "display", "fps", config_value_int, 1, 240, "60", D(fps), "N", "frames per second, independent of the speed" },
    { "display", "gap", config_value_int, 1, 4096, "32", D(gap), "PX", "space between one message and the next" },
    { "display", "hold", config_value_seconds_ms, 0, 60000, "0", D(hold_ms), "SECONDS",
      "pause with the start of each message at the left edge" },
    { "display", "separator", config_value_text, 0, 0, "◆", D(separator), "TEXT",
      "between a headline and its summary on one row (set off by full-width spaces)" },
    { "display", "rows", config_value_rows, 0, 0, "auto", D(rows), "auto|1|2",
      "two rows (headline still on top, summary scrolling below) on panels at least twice the size tall" },
    { "display", "label", config_value_text, 0, 0, "", D(label), "TEXT", "a fixed label zone at the left, e.g. 新闻; empty = none" },
    { "display", "label_color", config_value_color, 0, 0, "#FF4000", D(label_color), "#RRGGBB|#RGB|NAME", "the label's colour" },
    { "display", "clock", config_value_clock, 0, 0, "none", D(clock), "none|time|date|lunar|date_lunar",
      "a clock zone at the right: HH:MM, the date with 星期, the lunar date (the solar term on its day), or both dates; too wide: a narrower one" },
    { "display", "clock_color", config_value_color, 0, 0, "#FFB000", D(clock_color), "#RRGGBB|#RGB|NAME", "the clock's colour" },
    { "display", "gamma", config_value_gamma, 100, 300, "2.2", D(gamma_x100), "G",
      "gamma the host applies when the controller does not (GET_INFO says which)" },
    { "display", "play_log", config_value_text, 0, 0, "", D(play_log), "PATH",
      "proof of play: one line per completed pass (start, message ID, seconds); reopened on SIGHUP" },
    { "display", "on_stop", config_value_on_stop, 0, 0, "standby", D(on_stop), "standby|notice",
      "what the panel shows after the ticker stops: dark, or stop_notice" },
    { "display", "stop_notice", config_value_text, 0, 0, "", D(stop_notice), "TEXT", "the notice left on the panel with on_stop = notice" },

    { "message", "headline", config_value_text, 1, 0, NULL, M(headline), "TEXT", "the headline (required); placeholders: see below" },
    { "message", "summary", config_value_text, 0, 0, "", M(summary), "TEXT", "one or two sentences after the headline; placeholders: see below" },
    { "message", "summary_file", config_summary_file, 0, 0, NULL, M(summary), "PATH",
      "the summary from a UTF-8 text file, relative to this config file; lines are joined" },
    { "message", "color", config_value_color, 0, 0, "#FFFFFF", M(color), "#RRGGBB|#RGB|NAME", "text colour" },
    { "message", "priority", config_value_int, 0, 100, "50", M(priority), "0-100", "higher plays first" },
    { "message", "from", config_value_from, 0, 0, "", M(from), "YYYY-MM-DD [HH:MM]", "first moment it plays" },
    { "message", "until", config_value_until, 0, 0, "", M(until), "YYYY-MM-DD [HH:MM]",
      "it stops before this moment; a bare date means the end of that day" },
    { "message", "days", config_value_days, 0, 0, "daily", M(days), "mon-fri|sat,sun|fri-mon|daily|workday|restday|holiday",
      "weekdays (ranges wrap), or the statutory calendar: workday (工作日), restday (休息日), holiday (节假日); a list is a union" },
    { "message", "lunar", config_value_lunar, 0, CONFIG_MAX_LUNAR, "", M(lunar),
      "八月十五|腊月廿三-正月十五|冬至|除夕|12-23..01-15[, ...]",
      "days of the lunar calendar, every year, AND with days: a date, a range (wraps past 腊月), a solar term, "
      "or 除夕 春节 元宵 端午 七夕 中秋 重阳 腊八; a list is a union" },
    { "message", "hours", config_value_hours, 0, CONFIG_MAX_WINDOWS, "", M(hours), "HH:MM-HH:MM[, ...]",
      "daily windows; empty = all day; end <= start crosses midnight; 24:00 is allowed as an end" },
    { "message", "repeat", config_value_int, 1, 100, "1", M(repeat), "N", "copies per cycle, spread evenly" },
    { "message", "emergency", config_value_bool, 0, 0, "no", M(emergency), "yes|no",
      "while an emergency message is active, only emergency messages play" },
    { "message", "enabled", config_value_bool, 0, 0, "yes", M(enabled), "yes|no", "no = never plays" },

    { "fleet", "broker", config_value_broker, 0, 0, NULL, F(broker), "mqtts://HOST[:PORT]|mqtt://HOST[:PORT]",
      "the newsroom's MQTT broker (required); plain mqtt:// to a host other than loopback is warned about" },
    { "fleet", "site", config_value_site, 0, 0, NULL, F(site), "NAME",
      "this kiosk's site, [a-z0-9][a-z0-9_-]{0,62} (required): it reads ledticker/v1/site/NAME/... and the all topics" },
    { "fleet", "ca_file", config_value_file, 0, 0, "", F(ca_file), "PATH",
      "CA certificate(s) that sign the broker's TLS certificate; empty = the system's CAs" },
    { "fleet", "username", config_value_text, 0, 0, "", F(username), "NAME",
      "MQTT user name; empty = the site name (the broker's ACL uses it)" },
    { "fleet", "password_file", config_value_file, 0, 0, "", F(password_file), "PATH",
      "file holding the MQTT password (one line); empty = none" },
    { "fleet", "public_key", config_value_public_key, 0, 0, NULL, F(public_keys), "PATH",
      "the newsroom's public key (.pub from ledticker keygen; required); repeat the key to trust several during a rotation",
      CONFIG_KEY_REPEAT },
    { "fleet", "cache_dir", config_value_dir, 0, 0, "/var/lib/ledticker/fleet", F(cache_dir), "DIR",
      "where received bundles are kept, so the kiosk plays them at start without the broker" },
};

_Static_assert(sizeof rows / sizeof rows[0] == CONFIG_KEYS_COUNT,
               "CONFIG_KEYS_COUNT in config_internal.h is the number of rows");

const struct config_key *const config_keys_table = rows;

size_t config_key_count(void)
{
    return CONFIG_KEYS_COUNT;
}

void config_key_at(size_t i, struct config_key_info *info)
{
    *info = (struct config_key_info){ rows[i].section, rows[i].name, rows[i].type, rows[i].def,
                                      rows[i].doc };
}

size_t config_keys_index(const char *section, const char *name)
{
    for (size_t i = 0; i < CONFIG_KEYS_COUNT; i++)
        if (rows[i].name[0] == tolower((unsigned char)name[0]) && !strcmp(rows[i].section, section) &&
            !strcasecmp(rows[i].name, name))
            return i;
    return CONFIG_KEYS_COUNT;
}
