# Carry-through roles found by column name (records.md), dates in export
# forms written as ISO 8601, --keep, and cells that cannot be read: left
# out with a warning naming file and line; the record is still tagged.
t=$TMPDIR_CASE
cd "$t"
cat > nps.csv <<'CSV'
Respondent ID,Submitted At,Likelihood to recommend,CSAT score,Effort,Plan,Journey Stage,Channel,Region,Why?
R1,2026-10-03 14:05:09,3,"2,5",4,Premium,delivery,web,North,Parcel arrived a week late and nobody answered the phone.
R2,03/10/2026,11,5,,Basic,checkout,app,South,Lovely staff and quick checkout
R3,someday,9,x,1,,,,East,ok I guess
R4,later,5,zz,,Gold,,,West,two warnings around a kept segment
CSV
vocal classify --no-theme-model --no-model nps.csv --text-column 'Why?' --keep Region --keep Missing
vocal classify --no-theme-model --no-model -q nps.csv --text-column 'Why?' --date-column 'Submitted At' --date-format '%m/%d/%Y' \
    --segment-column Region | cut -c1-120
# a role column asked for by name that the header lacks: one warning per file
vocal classify --no-theme-model --no-model nps.csv --text-column 'Why?' --nps-column Score 2>&1 >/dev/null | grep -e '--nps-column'
