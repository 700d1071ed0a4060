/*
 * dblock.c - holds the write lock of a SQLite database, as another process
 * (a backup, a second okra, a sqlite3 shell) would; a helper of
 * tests/faults/server_lock.sh, not part of okra.
 *
 *   okra_dblock DB SECONDS
 *
 * BEGIN EXCLUSIVE on DB, prints "locked" on stdout, sleeps SECONDS, then
 * rolls back and exits.  Exit status 2 when the lock cannot be taken.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	sqlite3 *db = NULL;
	if (argc != 3) {
		fprintf(stderr, "usage: okra_dblock DB SECONDS\n");
		return 2;
	}
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE, NULL) !=
	        SQLITE_OK ||
	    sqlite3_busy_timeout(db, 5000) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL) !=
	        SQLITE_OK) {
		fprintf(stderr, "okra_dblock: %s: %s\n", argv[1],
		        db ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		return 2;
	}
	printf("locked\n");
	fflush(stdout);
	sleep((unsigned)atoi(argv[2]));
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	return 0;
}
