/*
 * The libc calls the house does not use, after git's banned.h. CMakeLists.txt
 * force-includes this file into every source of the binary, so a use is a
 * compile error that names the call. The system headers that declare them come
 * first, so their own declarations are not renamed.
 *
 *   strcpy, strcat, strncpy, strncat, sprintf, vsprintf: no bound, or a bound
 *       that silently truncates or leaves no NUL: use struct strbuf or snprintf
 *       with its result checked;
 *   strtok: hidden state: strtok_r or a plain scan;
 *   atoi, atol, atoll, atof: no error, wrong input reads as 0: strtol/strtoll
 *       with an end pointer (or a value the database already checked, parsed
 *       with strtoll);
 *   gmtime, localtime, ctime, asctime: a shared static result: the _r forms;
 *   gets, tmpnam, mktemp: unsafe by design: fgets, mkstemp/mkdtemp;
 *   system, popen: a shell between us and the command: fork + execvp.
 */
#ifndef BACKDESK_BANNED_H
#define BACKDESK_BANNED_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BD_BANNED(func) sorry_##func##_is_banned_see_banned_h

#undef strcpy
#define strcpy(...) BD_BANNED(strcpy)
#undef strcat
#define strcat(...) BD_BANNED(strcat)
#undef strncpy
#define strncpy(...) BD_BANNED(strncpy)
#undef strncat
#define strncat(...) BD_BANNED(strncat)
#undef sprintf
#define sprintf(...) BD_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BD_BANNED(vsprintf)
#undef strtok
#define strtok(...) BD_BANNED(strtok)
#undef atoi
#define atoi(...) BD_BANNED(atoi)
#undef atol
#define atol(...) BD_BANNED(atol)
#undef atoll
#define atoll(...) BD_BANNED(atoll)
#undef atof
#define atof(...) BD_BANNED(atof)
#undef gmtime
#define gmtime(...) BD_BANNED(gmtime)
#undef localtime
#define localtime(...) BD_BANNED(localtime)
#undef ctime
#define ctime(...) BD_BANNED(ctime)
#undef asctime
#define asctime(...) BD_BANNED(asctime)
#undef gets
#define gets(...) BD_BANNED(gets)
#undef tmpnam
#define tmpnam(...) BD_BANNED(tmpnam)
#undef mktemp
#define mktemp(...) BD_BANNED(mktemp)
#undef system
#define system(...) BD_BANNED(system)
#undef popen
#define popen(...) BD_BANNED(popen)

#endif
