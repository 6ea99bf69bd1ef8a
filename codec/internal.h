/* Shared between the codec's modules; nothing here is public. */
#ifndef OCSPKIT_INTERNAL_H
#define OCSPKIT_INTERNAL_H

#include <ocspkit/ocspkit.h>

#include "alloc.h"
#include "buf.h"
#include "bytes.h"
#include "civil.h"
#include "der.h"
#include "der_write.h"
#include "algid.h"
#include "certid.h"
#include "ext.h"
#include "oid.h"
#include "sigblock.h"
#include "schema.h"
#include "try.h"

#endif
