/*
 * utf8.c - the one UTF-8 validator (data files, workspace YAML) and the
 * one display-width counter (text tables).
 */

#include "okra_int.h"

#include <stdint.h>
#include <string.h>

size_t okra__utf8_invalid_at(const char *str, size_t len)
{
	const unsigned char *b = (const unsigned char *)str, *s = b,
	                    *e = b + len;
	while (s < e) {
		/* ASCII runs eight bytes at a time. */
		while (e - s >= 8) {
			uint64_t w;
			memcpy(&w, s, 8);
			if (w & UINT64_C(0x8080808080808080))
				break;
			s += 8;
		}
		if (s == e)
			break;
		unsigned c = s[0];
		if (c < 0x80) {
			s++;
			continue;
		}
		/* Unicode Table 3-7: well-formed byte sequences. */
		if (c < 0xC2) /* continuation byte, or overlong C0/C1 */
			break;
		if (c < 0xE0) {
			if (e - s < 2 || (s[1] & 0xC0) != 0x80)
				break;
			s += 2;
			continue;
		}
		if (c < 0xF0) {
			if (e - s < 3 || (s[1] & 0xC0) != 0x80 ||
			    (s[2] & 0xC0) != 0x80)
				break;
			if (c == 0xE0 && s[1] < 0xA0) /* overlong */
				break;
			if (c == 0xED && s[1] >= 0xA0) /* surrogate */
				break;
			s += 3;
			continue;
		}
		if (c < 0xF5) {
			if (e - s < 4 || (s[1] & 0xC0) != 0x80 ||
			    (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
				break;
			if (c == 0xF0 && s[1] < 0x90) /* overlong */
				break;
			if (c == 0xF4 && s[1] >= 0x90) /* above U+10FFFF */
				break;
			s += 4;
			continue;
		}
		break;
	}
	return (size_t)(s - b);
}

bool okra__utf8_valid(const char *s, size_t len)
{
	return okra__utf8_invalid_at(s, len) == len;
}

size_t okra__text_width(const char *s)
{
	size_t w = 0;
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if (*p == 0x1b) { /* an ANSI escape: ESC [ ... m */
			while (*p && *p != 'm')
				p++;
			if (!*p)
				break;
			continue;
		}
		w += (*p & 0xC0) != 0x80;
	}
	return w;
}
