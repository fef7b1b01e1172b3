/* panes_stub.c: temporary stand-ins for panes other helpers are building (see panes.h);
 * each is deleted from here when its real version lands. */
#include "panes.h"


