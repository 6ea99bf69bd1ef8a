/* TRY: error propagation for functions that return ocspkit_err. */
#ifndef OCSPKIT_TRY_H
#define OCSPKIT_TRY_H

#include <ocspkit/error.h>

/* TRY(expr) evaluates expr, an ocspkit_err, once and returns it from the
 * calling function unless it is OCSPKIT_OK. */
#define TRY(expr)                                \
	do {                                     \
		ocspkit_err try_err_ = (expr);   \
		if (try_err_ != OCSPKIT_OK)      \
			return try_err_;         \
	} while (0)

#endif
