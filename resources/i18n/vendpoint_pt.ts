<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt" sourcelanguage="en">
<context>
    <name>AppController</name>
    <message>
        <source> (not offered by this vending server)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the passphrase…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VendPoint could not start.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ApprovalDialog</name>
    <message>
        <source>Supervisor approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A supervisor must approve: {action}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose or type the supervisor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A PIN is 4 to 12 digits.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AttentionView</name>
    <message>
        <source>Note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sales the server refused or could not settle. The customer paid; decide what happens: try again, pay back in cash, or write a note and close.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record cash refund</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note and close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>see the sales that need attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resolve {ref}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why? (kept in the audit journal)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <source>No customer yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type or scan the meter number and press Enter, or press F3 to search by name, account or address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo meters to try:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no earlier purchase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last purchase {days} days ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meter {meter} · Account {account}
{utility} · {tariff}
{last}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ask the utility why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BLOCKED: no sale possible ({reason}).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EngineeringView</name>
    <message>
        <source>11 or 13 digits, then Enter to look it up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> W</source>
        <comment>watts after the power limit</comment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pending change only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Register</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New tariff index</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issue (supervisor PIN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent engineering tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking up meter {meter}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}, {address} · {utility} · {tariff}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BLOCKED: {reason}. Check with the utility before issuing a token for this meter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{ref}  {meter}  {kind}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{ref}  {when}  {meter}  {kind}  ({supervisor})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>JournalView</name>
    <message>
        <source>reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>contains</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from 2026-11-25</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>before 2026-11-26</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify hash chain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} entries shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the journal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the journal export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} entries saved: {path}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Not offered by this vending server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cashier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>other role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed tariff documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch upload of offline sales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sale reversal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Z report reconciliation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engineering tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sale by units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not uploaded yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upload failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>uploaded, matches the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>uploaded, differs from the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upload state unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear tamper</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear credit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set maximum power limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set phase unbalance limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key change (TID rollover / tariff index)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test / display</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another token type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>electricity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>water</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all registers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in force</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>superseded</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginController</name>
    <message>
        <source>Type your username first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type your PIN, then press Enter.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LoginView</name>
    <message>
        <source>Sign in to sell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type your username and PIN, then press Enter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Till locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked after a quiet spell.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked by {name}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{why} {name}, enter your PIN to carry on, or another operator can sign in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>{name} {version}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DEMO MODE: demo server and throwaway data, no real money or tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Welcome to {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server: {url}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set up</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NotificationBar</name>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>Protect this till with a passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock VendPoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore the store from a backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This computer has no usable keyring. Choose a passphrase (8 characters or more, ideally a sentence): it will be asked each time VendPoint starts. Without it the store cannot be read, so keep it safe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This till&apos;s store is protected by a passphrase. Type it to start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the current passphrase, then the new one twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose an encrypted backup, type its passphrase, and choose the till&apos;s new passphrase. A store already here is moved aside, never deleted. Activate the till again afterwards.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>path of the backup file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore from a backup…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Working…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QuotePanel</name>
    <message>
        <source>Type the amount and press Enter for a quote.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount: {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PRICE CHANGED: {summary}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{line}: {old} → {new}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New price confirmed: press Enter (F12) to sell.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tell the customer. Press Enter to confirm the new price, then Enter again to sell; Esc to stop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OFFLINE: no quote for {amount}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reason}
Selling now keeps the sale PENDING: the customer gets a pending slip, NOT a token. The server prices it and the token prints here when the connection is back. Press Enter to sell pending, Esc to stop.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{amount} buys {units} {unit}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount incl. VAT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{desc} @ {rate}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{desc} (included above)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tariff: {tariff}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key change tokens will be issued first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens: {list}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <source>All operators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sales per hour ({cur})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sales by tariff ({cur})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export detail CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print X report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close day (Z report)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reprint Z</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upload / reconcile Z</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Z {number}  {when}  {state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show a report first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF saved: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV saved: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the {what}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The export was not written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent to the printer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>X report printed: {n} sales, {amount}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the day?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The day was not closed; no Z report was issued.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>close the day (Z report)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issue Z report No. {n} for {period}?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n sales, {amount}; net {net}.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Warning: %n offline sales ({amount}) still waiting for the server; they count in the Z of the day they are synced.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Warning: %n sales needing a supervisor&apos;s attention.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Warning: nothing happened since Z report No. {n} ({when}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: nothing was sold in this period.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A Z report cannot be changed or taken back once issued.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Z report No. {n} issued and printed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not reconciled with the server yet ({problem}); use Upload later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s totals match.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Differences with the server (terminal − server): {d}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a Z report in the list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Z report No. {n} reprinted (reprint {k}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Z {n}: </source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReprintDialog</name>
    <message>
        <source>Reprint or reverse a sale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meter or receipt number, then Enter. ↓ to the list; Enter or F8 reprints, F7 asks for a reversal (supervisor). Esc or Ctrl+F goes back to the search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reprints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reprint (F8)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Request reversal (F7)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a meter number or a receipt number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n sales found</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>No sales found for that number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search for the sale first, then choose it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reprinting {ref}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reprint {n} of {ref} recorded; no printer is set up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reprint {n} of {ref} sent to the printer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reprint beyond the reprint policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reprint cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reversal: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receipt {ref} was already reversed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A pending sale cannot be reversed until its token has arrived.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was sold on this sale ({state}): there is nothing to reverse.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reverse receipt {ref}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reversal cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requesting reversal of {ref}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receipt {ref} reversed ({number}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receipt {ref} was already reversed ({number}).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReversalDialog</name>
    <message>
        <source>Reverse this sale?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receipt {ref}
Meter {meter} · {customer}
{amount} · {units}
Sold {when}

The customer gets the money back and the tokens become void.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason (required):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reverse</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SaleController</name>
    <message>
        <source>Operator: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking up meter {meter}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selling…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SaleFlow</name>
    <message>
        <source>Selling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask again (Enter / F12)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirm (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sell (Enter / F12)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The quote and its breakdown appear here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the number on the meter or card.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Getting the quote…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sale by units is not offered by this vending server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the amount of money instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A sale by units needs the server: only it knows what the units cost. {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press F7 and sell by amount (it goes pending), or wait.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change: -</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Short by {money}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change: {money}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in before selling.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cash tendered is {money} short of the amount.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take the full amount or lower it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new tariff is in force and the new price cannot be fetched now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the units as a number with at most one decimal, such as 50 or 50{sep}5.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The units must be more than zero.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SaleState</name>
    <message>
        <source>tokened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PENDING (no token yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sending (not sold yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT COMPLETE (being checked)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NEEDS ATTENTION (supervisor)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REJECTED (nothing sold: refund)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT SOLD (void)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reversed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>state unknown (ask a supervisor)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{state}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SaleView</name>
    <message>
        <source>&amp;Meter number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>type or scan, then Enter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search (F3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tendered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>optional</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quote (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sell (Enter / F12)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next customer (F2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;{n}  {amount}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Units ({unit})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 50</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SalesListDialog</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n sales, total {money}</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchDialog</name>
    <message>
        <source>Find a customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type part of the name, account number, address or meter number, then Enter. Use ↓ to move to the results and Enter to choose; Esc or Ctrl+F goes back to the search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Search (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Meter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo meters are listed as examples.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type at least 2 characters to search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n found</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>{name} (BLOCKED)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing found: try fewer letters.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server and terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one-time activation code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counter 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 192.168.1.50:9100</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default, or e.g. TM-T20II</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test print</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find printers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find printers to list the ones this PC sees</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>automatic, or e.g. CP858 for French and Portuguese</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print a QR code of the meter and tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>image file, or empty for none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>usb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>windows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on pin 2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on pin 5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pulse</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printers found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paper width</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printer profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cash drawer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same as the terminal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receipts in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock the till after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quick amounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server and printer changes take effect when VendPoint starts again; the idle lock changes at once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>activation not available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>activated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT activated: enter the code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the activation code from the utility.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the server URL first (it starts with https://).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activating…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Terminal activated as {id}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>activated ({id})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending a test slip…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test slip sent to the printer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The test print failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Looking for printers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} found: choose one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a printer from the list, then Test print.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no printer found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No printer found; type the address (a network printer&apos;s IP).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{message} ({notes})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <source>Pending sales (no token yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today&apos;s sales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change the till&apos;s settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Customer search: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sale {ref} did not go through: nothing was sold.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sale {receipt} was sold at a different price than quoted: {summary}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it needs a supervisor&apos;s decision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ATTENTION: sale {ref} (meter {meter}): {reason} Tell a supervisor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed tariffs: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token arrived for pending sale {ref} (meter {meter}, {name}): receipt {receipt} is printing. Give it to the customer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token arrived for pending sale {ref} (meter {meter}, {name}): receipt {receipt} could not print: press F8 to reprint. Give it to the customer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ShiftView</name>
    <message>
        <source>Open a shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>type the float you counted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counted float</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cash drop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>amount</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>note (bag number)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record drop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note / coin</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How many</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>counted total</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counted cash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reprint the last shift report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No shift is open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift {id} open since {at}, float {float}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Count the drawer; the expected amount is shown when the shift is closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cash sales {sales} ({n}), refunds {refunds}, drops {drops}: the drawer should hold {expected}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the float you counted into the drawer (0 if there is none), then Enter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no counted cash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>short</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counted {counted}, expected {expected}: {word} {diff}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counted {counted}. The expected amount and the difference are shown once the shift is closed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the shift now? {figures}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift report reprinted (reprint {n}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift closed. Expected {expected}, counted {counted}: {word} {diff}. The shift report was sent to the printer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StartupScreen</name>
    <message>
        <source>Starting VendPoint…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try again (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings (F11)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keyring? Use a passphrase…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusBarController</name>
    <message>
        <source>● Status unknown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StatusBarView</name>
    <message>
        <source>Not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server not reachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● OFFLINE: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending: {count} ({value})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, {n} need attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending: 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last sync: never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last sync: {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printer: {state}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit: -</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credit: {money}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tariff: {version}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Clock is {minutes} min {direction} the server: fix the PC&apos;s date and time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ahead of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>behind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{names} and {n} more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not offered by this server: {names}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not offered by this server, so disabled on this till: {names}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operator: {name} ({role})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisorConsole</name>
    <message>
        <source>Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engineering tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Journal</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisorDialog</name>
    <message>
        <source>Supervisor approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A supervisor must approve: {action}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the supervisor&apos;s username and PIN.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SupervisorMenu</name>
    <message>
        <source>&amp;Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Shift (open, drop, close)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reports, X and Z</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Engineering tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Needs attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Journal</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TariffBanner</name>
    <message>
        <source>View tariffs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tariff news</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TariffViewer</name>
    <message>
        <source>Tariffs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expires</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed with key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From (kWh)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To (kWh)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate per unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Energy blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fixed charges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} ({tariff})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} ({tariff})
version {version}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{when}  {tariff} v{version}: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused updates (the tariff in use was kept):
{lines}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{currency} {rate} / {unit} ({vat})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VAT {rate}% (prices include VAT).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VAT {rate}% (added to prices).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{vat} Debt recovery {debt}% of each purchase, at least {minimum}. Free basic {service}: {units} {unit} a month.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No refused updates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No tariff has been received yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} ({tariff}), version {version}: {status}. Effective {start}, expires {end}; signed with key {key}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>incl. VAT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>excl. VAT</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TokenPanel</name>
    <message>
        <source>Delivered into the smart meter: the customer does not need to enter these tokens (they are on the receipt).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delivered into the smart meter: it accepted the token. Meter balance now {balance} {unit}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The smart meter did NOT accept the token: the customer must enter it by hand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sold at a different price than quoted: {summary} The tokens and the receipt show what was sold; tell the customer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT COMPLETE: no usable answer for sale {ref}.
Do not hand over anything and do not sell again. Enter asks the server about this same sale; Esc leaves it to VendPoint, which keeps checking and shows the result.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NO TOKEN YET: sale saved as pending {ref}.
The customer gets a pending slip (it is NOT a token). The token prints by itself when the server is back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receipt {ref}: {units} {unit} for {amount}. Enter the tokens in this order:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOT SOLD: the server never received sale {ref}. Nothing was sold; press F2 and sell again if the customer still wants to buy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TOKEN ARRIVED for pending sale {ref}: receipt {receipt} is printing. Give the printed token receipt to the customer; press F8 to reprint it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Printing the slip…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slip printed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The slip did not print ({detail}). Fix the printer, then press F8 to reprint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The slip did not print. Fix the printer, then press F8 to reprint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No printer is set up: read the tokens out or write them down.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>keymap</name>
    <message>
        <source>Enter/F12 Sell</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F2 New customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F3 Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F5 Quote</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F7 Units</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F6 Tariffs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F8 Reprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F9 Pending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F10 Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F11 Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Esc Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+L Lock</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
