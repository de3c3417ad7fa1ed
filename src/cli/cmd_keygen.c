/* ledticker keygen --out PREFIX: the newsroom's Ed25519 key pair,
 * PREFIX.key (secret, mode 0600) and PREFIX.pub (for every kiosk's
 * [fleet] public_key). Never overwrites a key. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdio.h>

#include "fleet/bundle.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: ledticker keygen --out PREFIX\n"
               "Writes a new Ed25519 key pair for signing fleet bundles: PREFIX.key, the\n"
               "secret (mode 0600: keep it in the newsroom, give it to 'ledticker publish\n"
               "--key'), and PREFIX.pub, for every kiosk's [fleet] public_key. An existing\n"
               "key is never overwritten.\n");
}

int cmd_keygen_main(const struct cli_env *env, int argc, char **argv)
{
    static const struct option opts[] = {
        { "out", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' }, { 0 } };
    const char *prefix = NULL;
    int opt;
    optind = 0;
    while ((opt = getopt_long(argc, argv, "+o:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'o': prefix = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!prefix || !*prefix || optind != argc) {
        usage(stderr);
        return 2;
    }
    if (bundle_keygen(prefix, &env->diag) != 0)
        return 1;
    printf("%s.key: the secret key (mode 0600): keep it in the newsroom\n"
           "%s.pub: the public key: public_key = in every kiosk's [fleet]\n", prefix, prefix);
    return 0;
}
