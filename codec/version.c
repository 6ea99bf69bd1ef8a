#include <config.h>

#include <ocspkit/ocspkit.h>

const char *ocspkit_version(void)
{
	return PACKAGE_VERSION;
}
