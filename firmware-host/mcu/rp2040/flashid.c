/* The SSI is leaving execute-in-place mode for a moment, so everything here
 * runs from SRAM with interrupts off, and puts the XIP set-up boot2 made
 * back afterwards. All 13 bytes (command, 4 dummy, 8 ID) fit the 16-deep
 * TX FIFO, so chip select stays asserted for the whole command without
 * driving it by hand. Datasheet 4.10 (SSI); the command is the Winbond /
 * GigaDevice / most SPI NOR "Read Unique ID". */
#include "flashid.h"

#include "rp2040.h"

#define CMD_READ_UNIQUE_ID 0x4bu
#define DUMMY_BYTES 4u
#define ID_BYTES 8u
#define XFER_BYTES (1u + DUMMY_BYTES + ID_BYTES)

RAMFUNC static void read_unique_id(uint8_t id[ID_BYTES])
{
    uint32_t ctrlr0 = REG(SSI_CTRLR0), ctrlr1 = REG(SSI_CTRLR1);
    uint32_t spi_ctrlr0 = REG(SSI_SPI_CTRLR0);

    REG(SSI_SSIENR) = 0;
    REG(SSI_CTRLR0) = 7u << 16;         /* 8-bit frames, TMOD 0: transmit and receive */
    REG(SSI_SSIENR) = 1;
    for (uint32_t i = 0; i < XFER_BYTES; i++)
        REG(SSI_DR0) = i == 0 ? CMD_READ_UNIQUE_ID : 0u;
    for (uint32_t i = 0; i < XFER_BYTES; i++) {
        while (REG(SSI_RXFLR) == 0)
            ;
        uint8_t b = (uint8_t)REG(SSI_DR0);
        if (i >= 1u + DUMMY_BYTES)
            id[i - 1u - DUMMY_BYTES] = b;
    }

    REG(SSI_SSIENR) = 0;
    REG(SSI_CTRLR0) = ctrlr0;
    REG(SSI_CTRLR1) = ctrlr1;
    REG(SSI_SPI_CTRLR0) = spi_ctrlr0;
    REG(SSI_SSIENR) = 1;
}

void flashid_serial(char out[17])
{
    static const char hex[] = "0123456789ABCDEF";
    uint8_t id[ID_BYTES];
    uint32_t irq = irq_save();
    read_unique_id(id);
    irq_restore(irq);
    for (unsigned i = 0; i < ID_BYTES; i++) {
        out[2 * i] = hex[id[i] >> 4];
        out[2 * i + 1] = hex[id[i] & 15];
    }
    out[16] = '\0';
}
