#include "cli/cfgcheck.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/datadir.h"
#include "transport/board.h"
#include "transport/transport.h"

static int check_board(void *user, const char *name, char *why, size_t len)
{
    const struct cfgcheck *c = user;
    if (!c->boards_dir) {
        snprintf(why, len, "board '%s': no boards directory found (searched %s)", name,
                 c->searched ? c->searched : "nowhere");
        return -1;
    }
    return board_check(c->boards_dir, name, why, len);
}

/* "auto" is the CLI's own choice (a controller if one answers, else sim). */
static int check_output(void *user, const char *spec, char *why, size_t len)
{
    (void)user;
    return strcasecmp(spec, "auto") ? transport_check_spec(spec, why, len) : 0;
}

int cfgcheck_find_boards(struct cfgcheck *c, const char *flag, const char *config_path,
                         char *buf, size_t len)
{
    if (datadir_resolve(DATADIR_BOARDS, flag, config_path, buf, len, &c->boards_dir))
        return -1;
    c->searched = c->boards_dir ? NULL : buf;
    return 0;
}

void cfgcheck_install(struct config_options *opt, struct cfgcheck *c)
{
    opt->check_board = check_board;
    opt->check_output = check_output;
    opt->check_user = c;
}
