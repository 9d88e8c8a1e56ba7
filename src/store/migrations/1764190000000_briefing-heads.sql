-- Up Migration

-- The parts of each briefing its 30-second head is made of (priorities, risks, key
-- numbers with their newest points), written with the briefing: the web app's Today
-- page reads one small head per company instead of detoasting every whole briefing.
ALTER TABLE briefings ADD COLUMN head jsonb;
UPDATE briefings
   SET head = briefing - '{agents,tasks,markdown,alerts,dataNotes,changes,scoring}'::text[];

-- Down Migration
ALTER TABLE briefings DROP COLUMN head;
