// libxcrypt (Debian/Ubuntu libcrypt-dev at build time, libcrypt1 at run time): bcrypt for basic_auth_users.
#include <crypt.h>
