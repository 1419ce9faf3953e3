/*
 * stage.c: the lead lifecycle, and the one place a lead's stage changes.
 *
 *   new -> nurture -> mql -> sal -> sql -> opportunity -> won
 *                                                      -> lost
 *   any open stage -> disqualified, lost, won (through opportunity);
 *   anything but won -> nurture
 *
 * Recycling is a move back to nurture with a reason, not a dead end.
 */
#include <string.h>

#include "lead.h"

const char *const lead_stage_names[LEAD_NSTAGE] = {
	"new", "nurture", "mql", "sal", "sql", "opportunity", "won", "lost",
	"disqualified"
};

int
lead_stage_index(const char *s)
{
	for (int i = 0; s && i < LEAD_NSTAGE; i++)
		if (strcmp(s, lead_stage_names[i]) == 0)
			return i;
	return -1;
}

/* How far along the funnel a stage is; the ends share the last rank. */
static int
rank(const char *s)
{
	static const int r[LEAD_NSTAGE] = { 0, 0, 1, 2, 3, 4, 5, 5, 5 };
	int i = lead_stage_index(s);

	return i < 0 ? -1 : r[i];
}

int
lead_stage_valid(const char *s)
{
	return s && rank(s) >= 0;
}

const char *
lead_stage_check(const char *from, const char *to)
{
	int rf = rank(from), rt = rank(to);

	if (rf < 0 || rt < 0)
		return "unknown stage";
	if (strcmp(from, to) == 0)
		return "the lead is at that stage already";
	/* A deal is won from any open stage: it was quoted on the way
	 * (lead_stage_set records the opportunity it implies). */
	if (strcmp(to, "won") == 0)
		return rf == 5 ? "the lead is closed (won, lost or "
		    "disqualified); recycle it to nurture first" : NULL;
	if (strcmp(to, "nurture") == 0)
		return strcmp(from, "won") == 0 ?
		    "a won lead is a customer, not one to nurture" : NULL;
	if (rf == 5)
		return "the lead is closed (won, lost or disqualified); "
		    "recycle it to nurture first";
	if (strcmp(to, "lost") == 0 || strcmp(to, "disqualified") == 0)
		return NULL;
	if (strcmp(to, "new") == 0)
		return "a lead cannot become new again";
	if (rt <= rf)
		return "that is a step back in the funnel";
	return NULL;
}

