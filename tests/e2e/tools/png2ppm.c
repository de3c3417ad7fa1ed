/* png2ppm IN.png OUT.ppm — a PNG's pixels as binary PPM (8-bit RGB), so
 * that end-to-end scripts can compare images written by different PNG
 * writers (ledsim's and ledticker's) pixel for pixel with cmp. Built by
 * the scripts that need it, with the compiler and libpng of the build. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: png2ppm IN.png OUT.ppm\n");
        return 2;
    }
    png_image img = { .version = PNG_IMAGE_VERSION };
    if (!png_image_begin_read_from_file(&img, argv[1])) {
        fprintf(stderr, "png2ppm: %s: %s\n", argv[1], img.message);
        return 1;
    }
    img.format = PNG_FORMAT_RGB;
    size_t size = PNG_IMAGE_SIZE(img);
    unsigned char *buf = malloc(size);
    if (!buf || !png_image_finish_read(&img, NULL, buf, 0, NULL)) {
        fprintf(stderr, "png2ppm: %s: %s\n", argv[1], img.message);
        return 1;
    }
    FILE *out = fopen(argv[2], "wb");
    if (!out || fprintf(out, "P6\n%u %u\n255\n", img.width, img.height) < 0 ||
        fwrite(buf, 1, size, out) != size || fclose(out) != 0) {
        perror(argv[2]);
        return 1;
    }
    free(buf);
    return 0;
}
