#!/usr/bin/env python3
"""expected.py: the figures each real CDR file in tests/corpus/cdr must give, computed here
with Python's csv module and the writers' own documented rules, independently of billtop.

Run from anywhere: python3 tests/corpus/expected.py  -> writes tests/corpus/expected.json.

Per file it states:
  records               data records (header, footer "Totals" lines excluded)
  non_records           lines that are not records (a 3CX "Totals" footer)
  identical_duplicates  records identical, field for field, to an earlier record of the file
  answered              distinct records the writer marks as answered (its own rule, below)
  connected             answered records with talk > 0: what a billing tool charges
  talk_seconds          sum of the talk column (billsec or equivalent) over connected records,
                        in whole seconds as the writer writes them
  talk_seconds_all_rows sum of the talk column over every distinct record, answered or not
                        (Asterisk writes NO ANSWER / BUSY rows with billsec > 0)
  calls                 distinct call ids where the writer has one, multi_row_calls the ids
                        that span several records
  first_start, last_start   the start time of the first and last record, as written
  min_start, max_start      earliest and latest start, ISO 8601, in the file's own clock
  date_format           the strftime format the writer used; date_order ymd / dmy / mdy
  date_order_from       how the order is known: "values" (a field > 12 shows it), "epoch"
                        (only an epoch id in the same record tells), "nothing" (the file alone
                        cannot tell; the source says which)
  epoch_offset_hours    wall clock minus the epoch in the record's unique id, where there is one
                        (the zone the switch wrote in)
  stray_quote_records   records that a strict CSV reader refuses (a quote inside an unquoted
                        field); they are read here with csv's non-strict mode, which keeps
                        every record's field count
Figures over "distinct records" skip identical duplicates (a billing tool stores one of them).
"""
import collections
import csv
import datetime as dt
import io
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CDR = os.path.join(HERE, 'cdr')


def read_text(name):
    """The file as text: UTF-8 (BOM dropped), Latin-1 for bytes that are not UTF-8."""
    b = open(os.path.join(CDR, name), 'rb').read()
    if b.startswith(b'\xef\xbb\xbf'):
        b = b[3:]
    try:
        return b.decode('utf-8')
    except UnicodeDecodeError:
        return b.decode('latin-1')


def records(name):
    """All CSV records, non-strict (stray quotes kept as text), any line end (LF, CRLF, CR)."""
    return list(csv.reader(io.StringIO(read_text(name), newline=''), strict=False))


def stray_quote_records(name, skip):
    """Records a strict reader refuses. Every corpus file has one record per physical line
    (checked: the non-strict record count equals the line count), so lines are tried one by one."""
    lines = read_text(name).replace('\r\n', '\n').replace('\r', '\n').split('\n')
    n = 0
    for line in lines[skip:]:
        if not line:
            continue
        try:
            list(csv.reader([line], strict=True))
        except csv.Error:
            n += 1
    return n


def hms(s):
    """3CX durations: H:MM:SS or HH:MM:SS -> seconds; empty -> 0."""
    if not s:
        return 0
    h, m, sec = s.split(':')
    return int(h) * 3600 + int(m) * 60 + int(sec)


def parse_time(s, fmt):
    return dt.datetime.strptime(s, fmt)


def date_order_from_values(values, fmt):
    """For day/month formats: does some value put a number > 12 in the day or month place?"""
    if fmt.startswith('%Y'):
        return 'ymd', 'values'
    first = [int(v.split('/')[0]) for v in values]
    second = [int(v.split('/')[1]) for v in values]
    if fmt.startswith('%d') and max(first) > 12:
        return 'dmy', 'values'
    if fmt.startswith('%m') and max(second) > 12:
        return 'mdy', 'values'
    return ('dmy' if fmt.startswith('%d') else 'mdy'), None


def epoch_offset(recs, start_col, fmt, id_col):
    """Mode of (wall clock - epoch in the unique id), in hours, to the half hour."""
    c = collections.Counter()
    for r in recs:
        try:
            epoch = float(r[id_col].split('-')[-1])
        except ValueError:
            continue
        if epoch < 1e9:
            continue
        wall = parse_time(r[start_col], fmt).replace(tzinfo=dt.timezone.utc).timestamp()
        c[round((wall - epoch) / 1800) / 2] += 1
    return c.most_common(1)[0][0] if c else None


def summarise(name, writer, recs, *, header, start_col, fmt, answered, talk, id_col=None,
              non_records=0, epoch_col=None, order_note=None):
    """The figures above for one file. answered(r) and talk(r) apply the writer's rules."""
    seen = set()
    distinct = []
    dups = 0
    for r in recs:
        t = tuple(r)
        if t in seen:
            dups += 1
            continue
        seen.add(t)
        distinct.append(r)
    ans = [r for r in distinct if answered(r)]
    con = [r for r in ans if talk(r) > 0]
    starts = [r[start_col] for r in recs]
    parsed = [parse_time(s, fmt) for s in starts]
    order, how = date_order_from_values([s.split()[0] for s in starts], fmt)
    if how is None:
        how = 'epoch' if epoch_col is not None else 'nothing'
    out = {
        'writer': writer,
        'header': header,
        'records': len(recs),
        'non_records': non_records,
        'identical_duplicates': dups,
        'answered': len(ans),
        'connected': len(con),
        'talk_seconds': sum(talk(r) for r in con),
        'talk_seconds_all_rows': sum(talk(r) for r in distinct),
        'first_start': starts[0],
        'last_start': starts[-1],
        'min_start': min(parsed).isoformat(sep=' '),
        'max_start': max(parsed).isoformat(sep=' '),
        'date_format': fmt,
        'date_order': order,
        'date_order_from': how,
        'stray_quote_records': stray_quote_records(name, 1 if header else 0),
    }
    if order_note:
        out['date_order_note'] = order_note
    if id_col is not None:
        ids = collections.Counter(r[id_col] for r in distinct)
        out['calls'] = len(ids)
        out['multi_row_calls'] = sum(1 for v in ids.values() if v > 1)
    if epoch_col is not None:
        out['epoch_offset_hours'] = epoch_offset(recs, start_col, fmt, epoch_col)
    return out


# ---- Asterisk --------------------------------------------------------------------------------
# Asterisk (cdr/cdr_csv.c, CDR docs): disposition is the furthest state the channel reached;
# ANSWERED means the call was answered. billsec = end - answer in whole seconds (0 when not
# answered, but Asterisk 12+ also writes NO ANSWER / BUSY rows with billsec > 0, see
# talk_seconds_all_rows). A billing tool charges ANSWERED with billsec > 0 (= connected).
# cdr_csv columns: accountcode src dst dcontext clid channel dstchannel lastapp lastdata start
# answer end duration billsec disposition amaflags [uniqueid userfield [peeraccount linkedid
# sequence]]. Times %Y-%m-%d %H:%M:%S in the server's zone (usegmtime=no).
AST_TIME = '%Y-%m-%d %H:%M:%S'


def asterisk_csv(name):
    recs = records(name)
    return summarise(name, 'Asterisk cdr_csv', recs, header=False, start_col=9, fmt=AST_TIME,
                     answered=lambda r: r[14] == 'ANSWERED', talk=lambda r: int(r[13]),
                     id_col=16, epoch_col=16)


# The Asterisk CDR database table (cdr_mysql / cdr_adaptive_odbc, FreePBX asteriskcdrdb.cdr):
# calldate clid src dst dcontext channel dstchannel lastapp lastdata duration billsec
# disposition amaflags accountcode uniqueid userfield [did recordingfile cnum cnam outbound_cnum
# outbound_cnam dst_cnam linkedid peeraccount sequence]. Same answered rule as cdr_csv.
def freepbx_cdrreports(name):
    """FreePBX CDR Reports module CSV download (page.cdr.php): header line of the 16 table
    columns, then one line per row; a field is quoted only when it holds a comma, and quotes
    inside fields are written as they are (clid "User 10" <114> is not escaped)."""
    recs = records(name)
    return summarise(name, 'FreePBX CDR Reports download', recs[1:], header=True, start_col=0,
                     fmt=AST_TIME, answered=lambda r: r[11] == 'ANSWERED',
                     talk=lambda r: int(r[10]), id_col=14, epoch_col=14)


def freepbx_cdrdb_dayfirst(name):
    """asteriskcdrdb.cdr dumped without a header through a spreadsheet (the repo also holds
    cdr.dbf): 25 columns calldate..dst_cnam then "0" and an empty column, every text cell
    quoted (numbers too), empty cells bare, dates D/M/YYYY H:MM:SS without zero padding.
    Every day is <= 9 so only the uniqueid epoch shows the order: 1504279981 = 2017-09-01."""
    recs = records(name)
    return summarise(name, 'FreePBX asteriskcdrdb.cdr via spreadsheet', recs, header=False,
                     start_col=0, fmt='%d/%m/%Y %H:%M:%S',
                     answered=lambda r: r[11] == 'ANSWERED', talk=lambda r: int(r[10]),
                     id_col=14, epoch_col=14)


def freepbx_excel_6col(name, note):
    """The FreePBX CDR Reports data cut to calldate,src,dst,duration,billsec,disposition by a
    spreadsheet that wrote CR line ends, no final line end, dates DD/MM/YY HH:MM."""
    recs = records(name)
    return summarise(name, 'FreePBX CDR Reports via spreadsheet (6 columns)', recs[1:],
                     header=True, start_col=0, fmt='%d/%m/%y %H:%M',
                     answered=lambda r: r[5] == 'ANSWERED', talk=lambda r: int(r[4]),
                     order_note=note)


def pbxware(name):
    """Bicom PBXware cdr table exported to CSV with the rest of its database: header line,
    NULL for SQL NULL, calldate quoted, clid written "\"Name\" <num>" without escaping
    (""Ramana Ulsa" <1115>"). Asterisk columns and rules (PBXware is built on Asterisk)."""
    recs = records(name)
    return summarise(name, 'PBXware cdr table export', recs[1:], header=True, start_col=10,
                     fmt=AST_TIME, answered=lambda r: r[14] == 'ANSWERED',
                     talk=lambda r: int(r[12]), id_col=17, epoch_col=17)


# ---- FreeSWITCH ------------------------------------------------------------------------------
# mod_cdr_csv "example" template: caller_id_name caller_id_number destination_number context
# start_stamp answer_stamp end_stamp duration billsec hangup_cause uuid bleg_uuid accountcode
# read_codec write_codec, every field quoted. FreeSWITCH docs: answer_stamp is set when the
# leg was answered, billsec = end - answer. hangup_cause NORMAL_CLEARING does not mean
# answered, and answered legs end with other causes (RECOVERY_ON_TIMER_EXPIRE,
# NORMAL_UNSPECIFIED): answered = answer_stamp not empty.
def freeswitch(name):
    recs = records(name)
    return summarise(name, 'FreeSWITCH mod_cdr_csv (example template)', recs, header=False,
                     start_col=4, fmt=AST_TIME, answered=lambda r: r[5] != '',
                     talk=lambda r: int(r[8]), id_col=10)


# ---- CDR-Stats -------------------------------------------------------------------------------
# CDR-Stats import format (addons/samples/cdrimport): header line, CRLF. hangup_cause_id is the
# Q.850 cause; CDR-Stats treats 16 (NORMAL_CLEARING) as the answered call and gives it
# billsec > 0 (cdr/models.py generate_fake_cdr). answered = hangup_cause_id == 16.
def cdrstats(name):
    recs = records(name)
    return summarise(name, 'CDR-Stats CDR import sample', recs[1:], header=True, start_col=9,
                     fmt=AST_TIME, answered=lambda r: r[15] == '16', talk=lambda r: int(r[11]),
                     id_col=2)


# ---- DIDWW -----------------------------------------------------------------------------------
# DIDWW API v3 CDR export (docs "Get CSV File of CDR Export"): header line, Date/Time (UTC),
# Duration (secs), Disconnect Code = SIP response code, Response its text. A call was answered
# when the code is 200 (Response "Bye": ended normally after answer); duration is the talk time.
def didww(name):
    recs = records(name)
    return summarise(name, 'DIDWW API v3 CDR export', recs[1:], header=True, start_col=0,
                     fmt=AST_TIME, answered=lambda r: r[6] == '200', talk=lambda r: int(r[4]))


# ---- 3CX -------------------------------------------------------------------------------------
# 3CX v20 Call Reports CSV export: UTF-8 BOM, header, ISO times with T, Ringing/Talking/Total
# Duration as H:MM:SS, one row per leg of a call (welcome message, queue, ring group
# "Redirected", extension "Answered"), and a last line "Totals,52,..." that is not a record.
# answered = Status "Answered"; talk = Talking.
def threecx_v20(name):
    recs = records(name)
    body = recs[1:]
    footer = [r for r in body if r and r[0] == 'Totals']
    body = [r for r in body if r and r[0] != 'Totals']
    return summarise(name, '3CX v20 call report export', body, header=True, start_col=0,
                     fmt='%Y-%m-%dT%H:%M:%S', answered=lambda r: r[6] == 'Answered',
                     talk=lambda r: hms(r[8]), non_records=len(footer))


# 3CX CDR service (v16 "CDR output" comma format, no header): historyid ("Call N"), callid,
# duration (H:MM:SS, talk time, empty when not answered), time-start, time-answered, time-end,
# reason-terminated, from-no, to-no, from-dn, to-dn, dial-no, reason-changed, final-number,
# final-dn, bill-code, bill-rate, bill-cost, bill-name, chain, from-type, to-type, final-type,
# from-dispname, to-dispname, final-dispname, missed-queue-calls. Times %Y/%m/%d %H:%M:%S.
# answered = time-answered not empty; talk = duration.
def threecx_cdr(name):
    recs = records(name)
    return summarise(name, '3CX CDR service output', recs, header=False, start_col=3,
                     fmt='%Y/%m/%d %H:%M:%S', answered=lambda r: r[4] != '',
                     talk=lambda r: hms(r[2]), id_col=1)


FILES = {
    'asterisk-cdr_csv-18col-busy-billsec.csv': asterisk_csv,
    'asterisk-cdr_csv-18col-shared-uniqueid.csv': asterisk_csv,
    'freepbx-cdrreports-download-1.csv': freepbx_cdrreports,
    'freepbx-cdrreports-download-2.csv': freepbx_cdrreports,
    'freepbx-cdrreports-download-3.csv': freepbx_cdrreports,
    'freepbx-cdrdb-table-dayfirst-noheader.csv': freepbx_cdrdb_dayfirst,
    'freepbx-cdrreports-excel-6col-cr.csv': lambda n: freepbx_excel_6col(
        n, 'every date is 04/09/17: the file cannot tell; the same calls are 2017-09-04 in '
           'freepbx-cdrreports-download-1.csv, so day first'),
    'freepbx-cdrreports-excel-6col-cr-b.csv': lambda n: freepbx_excel_6col(n, None),
    'pbxware-cdr-table.csv': pbxware,
    'freeswitch-cdr_csv-example-2016.csv': freeswitch,
    'freeswitch-cdr_csv-example-bleg.csv': freeswitch,
    'freeswitch-cdr_csv-example-identical-rows.csv': freeswitch,
    'cdrstats-cdrimport-sample.csv': cdrstats,
    'didww-cdr-export-v3-sdk-fixture.csv': didww,
    '3cx-v20-call-report-export.csv': threecx_v20,
    '3cx-cdr-log-v16.csv': threecx_cdr,
}


def main():
    present = sorted(f for f in os.listdir(CDR) if f.endswith('.csv'))
    missing = sorted(set(present) - set(FILES))
    if missing:
        sys.exit('expected.py: no rule for ' + ', '.join(missing))
    out = {name: FILES[name](name) for name in present}
    with open(os.path.join(HERE, 'expected.json'), 'w') as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write('\n')
    writers = {v['writer'] for v in out.values()}
    print('expected.json: %d files, %d writers' % (len(out), len(writers)))


if __name__ == '__main__':
    main()
