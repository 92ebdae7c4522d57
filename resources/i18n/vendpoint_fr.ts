<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>AppController</name>
    <message>
        <source> (not offered by this vending server)</source>
        <translation> (non proposé par ce serveur de vente)</translation>
    </message>
    <message>
        <source>Change the passphrase…</source>
        <translation>Changer la phrase secrète…</translation>
    </message>
    <message>
        <source>VendPoint could not start.</source>
        <translation>VendPoint n&apos;a pas pu démarrer.</translation>
    </message>
</context>
<context>
    <name>ApprovalDialog</name>
    <message>
        <source>Supervisor approval</source>
        <translation>Accord du superviseur</translation>
    </message>
    <message>
        <source>A supervisor must approve: {action}</source>
        <translation>Un superviseur doit approuver&#xa0;: {action}</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Superviseur</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Code PIN</translation>
    </message>
    <message>
        <source>Choose or type the supervisor.</source>
        <translation>Choisissez ou tapez le superviseur.</translation>
    </message>
    <message>
        <source>A PIN is 4 to 12 digits.</source>
        <translation>Un code PIN compte de 4 à 12 chiffres.</translation>
    </message>
</context>
<context>
    <name>AttentionView</name>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Sales the server refused or could not settle. The customer paid; decide what happens: try again, pay back in cash, or write a note and close.</source>
        <translation>Ventes que le serveur a refusées ou n&apos;a pas pu régler. Le client a payé&#xa0;; décidez de la suite&#xa0;: réessayer, rembourser en espèces, ou écrire une note et clôturer.</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Référence</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>Compteur</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Caissier</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Record cash refund</source>
        <translation>Rembourser en espèces</translation>
    </message>
    <message>
        <source>Note and close</source>
        <translation>Noter et clôturer</translation>
    </message>
    <message>
        <source>see the sales that need attention</source>
        <translation>voir les ventes à vérifier</translation>
    </message>
    <message>
        <source>resolve {ref}</source>
        <translation>traiter {ref}</translation>
    </message>
    <message>
        <source>Why? (kept in the audit journal)</source>
        <translation>Pourquoi&#xa0;? (conservé dans le journal d&apos;audit)</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <source>No customer yet</source>
        <translation>Pas encore de client</translation>
    </message>
    <message>
        <source>Type or scan the meter number and press Enter, or press F3 to search by name, account or address.</source>
        <translation>Tapez ou scannez le numéro de compteur et appuyez sur Entrée, ou appuyez sur F3 pour chercher par nom, compte ou adresse.</translation>
    </message>
    <message>
        <source>Demo meters to try:</source>
        <translation>Compteurs de démo à essayer&#xa0;:</translation>
    </message>
    <message>
        <source>no earlier purchase</source>
        <translation>aucun achat précédent</translation>
    </message>
    <message>
        <source>last purchase {days} days ago</source>
        <translation>dernier achat il y a {days} j</translation>
    </message>
    <message>
        <source>Meter {meter} · Account {account}
{utility} · {tariff}
{last}</source>
        <translation>Compteur {meter} · Compte {account}
{utility} · {tariff}
{last}</translation>
    </message>
    <message>
        <source>ask the utility why</source>
        <translation>demandez la raison au distributeur</translation>
    </message>
    <message>
        <source>BLOCKED: no sale possible ({reason}).</source>
        <translation>BLOQUÉ&#xa0;: aucune vente possible ({reason}).</translation>
    </message>
</context>
<context>
    <name>EngineeringView</name>
    <message>
        <source>11 or 13 digits, then Enter to look it up</source>
        <translation>11 ou 13 chiffres, puis Entrée pour le chercher</translation>
    </message>
    <message>
        <source> W</source>
        <comment>watts after the power limit</comment>
        <translation> W</translation>
    </message>
    <message>
        <source>pending change only</source>
        <translation>changement en attente uniquement</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>Compteur</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Jeton</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>Limite</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>Registre</translation>
    </message>
    <message>
        <source>New tariff index</source>
        <translation>Nouvel indice tarifaire</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Issue (supervisor PIN)</source>
        <translation>Émettre (PIN superviseur)</translation>
    </message>
    <message>
        <source>Recent engineering tokens</source>
        <translation>Jetons techniques récents</translation>
    </message>
    <message>
        <source>Looking up meter {meter}…</source>
        <translation>Recherche du compteur {meter}…</translation>
    </message>
    <message>
        <source>{name}, {address} · {utility} · {tariff}</source>
        <translation>{name}, {address} · {utility} · {tariff}</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>aucun motif donné</translation>
    </message>
    <message>
        <source>BLOCKED: {reason}. Check with the utility before issuing a token for this meter.</source>
        <translation>BLOQUÉ&#xa0;: {reason}. Vérifiez auprès du distributeur avant d&apos;émettre un jeton pour ce compteur.</translation>
    </message>
    <message>
        <source>{ref}  {meter}  {kind}</source>
        <translation>{ref}  {meter}  {kind}</translation>
    </message>
    <message>
        <source>{ref}  {when}  {meter}  {kind}  ({supervisor})</source>
        <translation>{ref}  {when}  {meter}  {kind}  ({supervisor})</translation>
    </message>
</context>
<context>
    <name>JournalView</name>
    <message>
        <source>reference</source>
        <translation>référence</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>contient</translation>
    </message>
    <message>
        <source>from 2026-11-25</source>
        <translation>du 2026-11-25</translation>
    </message>
    <message>
        <source>before 2026-11-26</source>
        <translation>avant 2026-11-26</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Filtrer</translation>
    </message>
    <message>
        <source>Verify hash chain</source>
        <translation>Vérifier la chaîne de hachage</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Exporter en CSV</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>#</source>
        <translation>N°</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Référence</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <source>{n} entries shown.</source>
        <translation>Entrées affichées&#xa0;: {n}.</translation>
    </message>
    <message>
        <source>Export the journal</source>
        <translation>Exporter le journal</translation>
    </message>
    <message>
        <source>Writing the journal export…</source>
        <translation>Écriture de l&apos;export du journal…</translation>
    </message>
    <message>
        <source>{n} entries saved: {path}</source>
        <translation>Entrées enregistrées&#xa0;: {n} dans {path}</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Not offered by this vending server.</source>
        <translation>Non proposé par ce serveur de vente.</translation>
    </message>
    <message>
        <source>cashier</source>
        <translation>caissier</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>superviseur</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>administrateur</translation>
    </message>
    <message>
        <source>other role</source>
        <translation>autre rôle</translation>
    </message>
    <message>
        <source>Signed tariff documents</source>
        <translation>Documents tarifaires signés</translation>
    </message>
    <message>
        <source>Server events</source>
        <translation>Événements du serveur</translation>
    </message>
    <message>
        <source>Batch upload of offline sales</source>
        <translation>Envoi groupé des ventes hors ligne</translation>
    </message>
    <message>
        <source>Customer search</source>
        <translation>Recherche de clients</translation>
    </message>
    <message>
        <source>Sale reversal</source>
        <translation>Annulation de vente</translation>
    </message>
    <message>
        <source>Z report reconciliation</source>
        <translation>Rapprochement du rapport Z</translation>
    </message>
    <message>
        <source>Engineering tokens</source>
        <translation>Jetons techniques</translation>
    </message>
    <message>
        <source>Sale by units</source>
        <translation>Vente en unités</translation>
    </message>
    <message>
        <source>another service</source>
        <translation>un autre service</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>prête</translation>
    </message>
    <message>
        <source>paper low</source>
        <translation>papier bas</translation>
    </message>
    <message>
        <source>PAPER OUT</source>
        <translation>PLUS DE PAPIER</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>hors ligne</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>not set up</source>
        <translation>non configurée</translation>
    </message>
    <message>
        <source>not uploaded yet</source>
        <translation>pas encore envoyé</translation>
    </message>
    <message>
        <source>upload failed</source>
        <translation>échec de l&apos;envoi</translation>
    </message>
    <message>
        <source>uploaded, matches the server</source>
        <translation>envoyé, conforme au serveur</translation>
    </message>
    <message>
        <source>uploaded, differs from the server</source>
        <translation>envoyé, diffère du serveur</translation>
    </message>
    <message>
        <source>upload state unknown</source>
        <translation>état d&apos;envoi inconnu</translation>
    </message>
    <message>
        <source>Clear tamper</source>
        <translation>Effacer l&apos;alerte d&apos;effraction</translation>
    </message>
    <message>
        <source>Clear credit</source>
        <translation>Effacer le crédit</translation>
    </message>
    <message>
        <source>Set maximum power limit</source>
        <translation>Fixer la limite de puissance maximale</translation>
    </message>
    <message>
        <source>Set phase unbalance limit</source>
        <translation>Fixer la limite de déséquilibre de phase</translation>
    </message>
    <message>
        <source>Key change (TID rollover / tariff index)</source>
        <translation>Changement de clé (renouvellement TID / indice tarifaire)</translation>
    </message>
    <message>
        <source>Test / display</source>
        <translation>Test / affichage</translation>
    </message>
    <message>
        <source>another token type</source>
        <translation>un autre type de jeton</translation>
    </message>
    <message>
        <source>electricity</source>
        <translation>électricité</translation>
    </message>
    <message>
        <source>water</source>
        <translation>eau</translation>
    </message>
    <message>
        <source>gas</source>
        <translation>gaz</translation>
    </message>
    <message>
        <source>all registers</source>
        <translation>tous les registres</translation>
    </message>
    <message>
        <source>in force</source>
        <translation>en vigueur</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>expirée</translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation>programmée</translation>
    </message>
    <message>
        <source>superseded</source>
        <translation>remplacée</translation>
    </message>
</context>
<context>
    <name>LoginController</name>
    <message>
        <source>Type your username first.</source>
        <translation>Tapez d&apos;abord votre identifiant.</translation>
    </message>
    <message>
        <source>Type your PIN, then press Enter.</source>
        <translation>Tapez votre code PIN, puis appuyez sur Entrée.</translation>
    </message>
</context>
<context>
    <name>LoginView</name>
    <message>
        <source>Sign in to sell</source>
        <translation>Connectez-vous pour vendre</translation>
    </message>
    <message>
        <source>Type your username and PIN, then press Enter.</source>
        <translation>Tapez votre identifiant et votre code PIN, puis appuyez sur Entrée.</translation>
    </message>
    <message>
        <source>username</source>
        <translation>identifiant</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>code PIN</translation>
    </message>
    <message>
        <source>&amp;Username</source>
        <translation>&amp;Identifiant</translation>
    </message>
    <message>
        <source>&amp;PIN</source>
        <translation>Code &amp;PIN</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Langue</translation>
    </message>
    <message>
        <source>Sign in (Enter)</source>
        <translation>Se connecter (Entrée)</translation>
    </message>
    <message>
        <source>Till locked</source>
        <translation>Caisse verrouillée</translation>
    </message>
    <message>
        <source>Locked after a quiet spell.</source>
        <translation>Verrouillée après un moment d&apos;inactivité.</translation>
    </message>
    <message>
        <source>Locked by {name}.</source>
        <translation>Verrouillée par {name}.</translation>
    </message>
    <message>
        <source>{why} {name}, enter your PIN to carry on, or another operator can sign in.</source>
        <translation>{why} {name}, saisissez votre code PIN pour continuer, ou un autre opérateur peut se connecter.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>{name} {version}</source>
        <translation>{name} {version}</translation>
    </message>
    <message>
        <source>DEMO MODE: demo server and throwaway data, no real money or tokens</source>
        <translation>MODE DÉMO&#xa0;: serveur de démo et données jetables, ni vrai argent ni vrais jetons</translation>
    </message>
    <message>
        <source>Welcome to {name}</source>
        <translation>Bienvenue dans {name}</translation>
    </message>
    <message>
        <source>Server: {url}</source>
        <translation>Serveur&#xa0;: {url}</translation>
    </message>
    <message>
        <source>not set up</source>
        <translation>non configuré</translation>
    </message>
</context>
<context>
    <name>NotificationBar</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <source>Protect this till with a passphrase</source>
        <translation>Protéger cette caisse par une phrase secrète</translation>
    </message>
    <message>
        <source>Unlock VendPoint</source>
        <translation>Déverrouiller VendPoint</translation>
    </message>
    <message>
        <source>Change the passphrase</source>
        <translation>Changer la phrase secrète</translation>
    </message>
    <message>
        <source>Restore the store from a backup</source>
        <translation>Restaurer les données depuis une sauvegarde</translation>
    </message>
    <message>
        <source>This computer has no usable keyring. Choose a passphrase (8 characters or more, ideally a sentence): it will be asked each time VendPoint starts. Without it the store cannot be read, so keep it safe.</source>
        <translation>Cet ordinateur n&apos;a pas de trousseau de clés utilisable. Choisissez une phrase secrète (8 caractères ou plus, idéalement une vraie phrase)&#xa0;: elle sera demandée à chaque démarrage de VendPoint. Sans elle, les données ne peuvent pas être lues&#xa0;: gardez-la en lieu sûr.</translation>
    </message>
    <message>
        <source>This till&apos;s store is protected by a passphrase. Type it to start.</source>
        <translation>Les données de cette caisse sont protégées par une phrase secrète. Tapez-la pour démarrer.</translation>
    </message>
    <message>
        <source>Type the current passphrase, then the new one twice.</source>
        <translation>Tapez la phrase secrète actuelle, puis deux fois la nouvelle.</translation>
    </message>
    <message>
        <source>Choose an encrypted backup, type its passphrase, and choose the till&apos;s new passphrase. A store already here is moved aside, never deleted. Activate the till again afterwards.</source>
        <translation>Choisissez une sauvegarde chiffrée, tapez sa phrase secrète et choisissez la nouvelle phrase secrète de la caisse. Les données déjà présentes sont mises de côté, jamais supprimées. Activez ensuite la caisse à nouveau.</translation>
    </message>
    <message>
        <source>path of the backup file</source>
        <translation>chemin du fichier de sauvegarde</translation>
    </message>
    <message>
        <source>Restore from a backup…</source>
        <translation>Restaurer une sauvegarde…</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>Nouvelle phrase secrète</translation>
    </message>
    <message>
        <source>Again</source>
        <translation>Répétez</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Phrase secrète</translation>
    </message>
    <message>
        <source>Current passphrase</source>
        <translation>Phrase secrète actuelle</translation>
    </message>
    <message>
        <source>Backup file</source>
        <translation>Fichier de sauvegarde</translation>
    </message>
    <message>
        <source>Backup passphrase</source>
        <translation>Phrase secrète de la sauvegarde</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>En cours…</translation>
    </message>
</context>
<context>
    <name>QuotePanel</name>
    <message>
        <source>Type the amount and press Enter for a quote.</source>
        <translation>Tapez le montant et appuyez sur Entrée pour un devis.</translation>
    </message>
    <message>
        <source>Amount: {amount}</source>
        <translation>Montant&#xa0;: {amount}</translation>
    </message>
    <message>
        <source>PRICE CHANGED: {summary}</source>
        <translation>PRIX MODIFIÉ&#xa0;: {summary}</translation>
    </message>
    <message>
        <source>{line}: {old} → {new}</source>
        <translation>{line}&#xa0;: {old} → {new}</translation>
    </message>
    <message>
        <source>New price confirmed: press Enter (F12) to sell.</source>
        <translation>Nouveau prix confirmé&#xa0;: appuyez sur Entrée (F12) pour vendre.</translation>
    </message>
    <message>
        <source>Tell the customer. Press Enter to confirm the new price, then Enter again to sell; Esc to stop.</source>
        <translation>Prévenez le client. Appuyez sur Entrée pour confirmer le nouveau prix, puis de nouveau sur Entrée pour vendre&#xa0;; Échap pour arrêter.</translation>
    </message>
    <message>
        <source>OFFLINE: no quote for {amount}.</source>
        <translation>HORS LIGNE&#xa0;: pas de devis pour {amount}.</translation>
    </message>
    <message>
        <source>{reason}
Selling now keeps the sale PENDING: the customer gets a pending slip, NOT a token. The server prices it and the token prints here when the connection is back. Press Enter to sell pending, Esc to stop.</source>
        <translation>{reason}
Si vous vendez maintenant, la vente reste EN ATTENTE&#xa0;: le client reçoit un ticket d&apos;attente, PAS un jeton. Le serveur en fixe le prix et le jeton s&apos;imprime ici au retour de la connexion. Appuyez sur Entrée pour vendre en attente, Échap pour arrêter.</translation>
    </message>
    <message>
        <source>{amount} buys {units} {unit}</source>
        <translation>Pour {amount}&#xa0;: {units} {unit}</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Libellé</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Unités</translation>
    </message>
    <message>
        <source>Amount incl. VAT</source>
        <translation>Montant TTC</translation>
    </message>
    <message>
        <source>{desc} @ {rate}</source>
        <translation>{desc} à {rate}</translation>
    </message>
    <message>
        <source>{desc} (included above)</source>
        <translation>{desc} (inclus ci-dessus)</translation>
    </message>
    <message>
        <source>Tariff: {tariff}</source>
        <translation>Tarif&#xa0;: {tariff}</translation>
    </message>
    <message>
        <source>Key change tokens will be issued first.</source>
        <translation>Les jetons de changement de clé seront émis en premier.</translation>
    </message>
    <message>
        <source>Tokens: {list}</source>
        <translation>Jetons&#xa0;: {list}</translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <source>All operators</source>
        <translation>Tous les opérateurs</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Afficher</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <source>to</source>
        <translation>au</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Opérateur</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Libellé</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Unités</translation>
    </message>
    <message>
        <source>Sales per hour ({cur})</source>
        <translation>Ventes par heure ({cur})</translation>
    </message>
    <message>
        <source>Sales by tariff ({cur})</source>
        <translation>Ventes par tarif ({cur})</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>Exporter en PDF</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Exporter en CSV</translation>
    </message>
    <message>
        <source>Export detail CSV</source>
        <translation>Exporter le détail en CSV</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>Imprimer</translation>
    </message>
    <message>
        <source>Print X report</source>
        <translation>Imprimer le rapport X</translation>
    </message>
    <message>
        <source>Close day (Z report)</source>
        <translation>Clôturer la journée (rapport Z)</translation>
    </message>
    <message>
        <source>Reprint Z</source>
        <translation>Réimprimer le Z</translation>
    </message>
    <message>
        <source>Upload / reconcile Z</source>
        <translation>Envoyer / rapprocher le Z</translation>
    </message>
    <message>
        <source>Z {number}  {when}  {state}</source>
        <translation>Z {number}  {when}  {state}</translation>
    </message>
    <message>
        <source>Show a report first.</source>
        <translation>Affichez d&apos;abord un rapport.</translation>
    </message>
    <message>
        <source>PDF</source>
        <translation>PDF</translation>
    </message>
    <message>
        <source>PDF saved: {path}</source>
        <translation>PDF enregistré&#xa0;: {path}</translation>
    </message>
    <message>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <source>CSV saved: {path}</source>
        <translation>CSV enregistré&#xa0;: {path}</translation>
    </message>
    <message>
        <source>Writing the {what}…</source>
        <translation>Écriture du {what}…</translation>
    </message>
    <message>
        <source>The export was not written.</source>
        <translation>L&apos;export n&apos;a pas été écrit.</translation>
    </message>
    <message>
        <source>Sent to the printer.</source>
        <translation>Envoyé à l&apos;imprimante.</translation>
    </message>
    <message>
        <source>X report printed: {n} sales, {amount}.</source>
        <translation>Rapport X imprimé (ventes&#xa0;: {n}, {amount}).</translation>
    </message>
    <message>
        <source>Close the day?</source>
        <translation>Clôturer la journée&#xa0;?</translation>
    </message>
    <message>
        <source>The day was not closed; no Z report was issued.</source>
        <translation>La journée n&apos;a pas été clôturée&#xa0;; aucun rapport Z n&apos;a été émis.</translation>
    </message>
    <message>
        <source>close the day (Z report)</source>
        <translation>clôturer la journée (rapport Z)</translation>
    </message>
    <message>
        <source>Issue Z report No. {n} for {period}?</source>
        <translation>Émettre le rapport Z n° {n} pour {period}&#xa0;?</translation>
    </message>
    <message numerus="yes">
        <source>%n sales, {amount}; net {net}.</source>
        <translation>
            <numerusform>%n vente, {amount}&#xa0;; net {net}.</numerusform>
            <numerusform>%n ventes, {amount}&#xa0;; net {net}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Warning: %n offline sales ({amount}) still waiting for the server; they count in the Z of the day they are synced.</source>
        <translation>
            <numerusform>Attention&#xa0;: %n vente hors ligne ({amount}) attend encore le serveur&#xa0;; elle compte dans le Z du jour de sa synchronisation.</numerusform>
            <numerusform>Attention&#xa0;: %n ventes hors ligne ({amount}) attendent encore le serveur&#xa0;; elles comptent dans le Z du jour de leur synchronisation.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Warning: %n sales needing a supervisor&apos;s attention.</source>
        <translation>
            <numerusform>Attention&#xa0;: %n vente à vérifier par un superviseur.</numerusform>
            <numerusform>Attention&#xa0;: %n ventes à vérifier par un superviseur.</numerusform>
        </translation>
    </message>
    <message>
        <source>Warning: nothing happened since Z report No. {n} ({when}).</source>
        <translation>Attention&#xa0;: rien ne s&apos;est passé depuis le rapport Z n° {n} ({when}).</translation>
    </message>
    <message>
        <source>Warning: nothing was sold in this period.</source>
        <translation>Attention&#xa0;: rien n&apos;a été vendu sur cette période.</translation>
    </message>
    <message>
        <source>A Z report cannot be changed or taken back once issued.</source>
        <translation>Un rapport Z émis ne peut être ni modifié ni repris.</translation>
    </message>
    <message>
        <source>Z report No. {n} issued and printed.</source>
        <translation>Rapport Z n° {n} émis et imprimé.</translation>
    </message>
    <message>
        <source>Not reconciled with the server yet ({problem}); use Upload later.</source>
        <translation>Pas encore rapproché avec le serveur ({problem})&#xa0;; utilisez Envoyer plus tard.</translation>
    </message>
    <message>
        <source>The server&apos;s totals match.</source>
        <translation>Les totaux du serveur concordent.</translation>
    </message>
    <message>
        <source>Differences with the server (terminal − server): {d}</source>
        <translation>Écarts avec le serveur (terminal − serveur)&#xa0;: {d}</translation>
    </message>
    <message>
        <source>Choose a Z report in the list.</source>
        <translation>Choisissez un rapport Z dans la liste.</translation>
    </message>
    <message>
        <source>Z report No. {n} reprinted (reprint {k}).</source>
        <translation>Rapport Z n° {n} réimprimé (réimpression {k}).</translation>
    </message>
    <message>
        <source>Z {n}: </source>
        <translation>Z {n}&#xa0;: </translation>
    </message>
</context>
<context>
    <name>ReprintDialog</name>
    <message>
        <source>Reprint or reverse a sale</source>
        <translation>Réimprimer ou annuler une vente</translation>
    </message>
    <message>
        <source>Meter or receipt number, then Enter. ↓ to the list; Enter or F8 reprints, F7 asks for a reversal (supervisor). Esc or Ctrl+F goes back to the search.</source>
        <translation>Numéro de compteur ou de reçu, puis Entrée. ↓ pour aller à la liste&#xa0;; Entrée ou F8 réimprime, F7 demande une annulation (superviseur). Échap ou Ctrl+F revient à la recherche.</translation>
    </message>
    <message>
        <source>&amp;Search (Enter)</source>
        <translation>&amp;Rechercher (Entrée)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Reçu</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>Compteur</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Reprints</source>
        <translation>Réimpr.</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Reprint (F8)</source>
        <translation>Réimprimer (F8)</translation>
    </message>
    <message>
        <source>Request reversal (F7)</source>
        <translation>Demander l&apos;annulation (F7)</translation>
    </message>
    <message>
        <source>Type a meter number or a receipt number.</source>
        <translation>Tapez un numéro de compteur ou un numéro de reçu.</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message numerus="yes">
        <source>%n sales found</source>
        <translation>
            <numerusform>%n vente trouvée</numerusform>
            <numerusform>%n ventes trouvées</numerusform>
        </translation>
    </message>
    <message>
        <source>No sales found for that number.</source>
        <translation>Aucune vente trouvée pour ce numéro.</translation>
    </message>
    <message>
        <source>Search for the sale first, then choose it.</source>
        <translation>Cherchez d&apos;abord la vente, puis choisissez-la.</translation>
    </message>
    <message>
        <source>Reprinting {ref}…</source>
        <translation>Réimpression de {ref}…</translation>
    </message>
    <message>
        <source>Reprint {n} of {ref} recorded; no printer is set up.</source>
        <translation>Réimpression {n} de {ref} enregistrée&#xa0;; aucune imprimante n&apos;est configurée.</translation>
    </message>
    <message>
        <source>Reprint {n} of {ref} sent to the printer.</source>
        <translation>Réimpression {n} de {ref} envoyée à l&apos;imprimante.</translation>
    </message>
    <message>
        <source>reprint beyond the reprint policy</source>
        <translation>réimpression au-delà de la limite autorisée</translation>
    </message>
    <message>
        <source>Reprint cancelled.</source>
        <translation>Réimpression abandonnée.</translation>
    </message>
    <message>
        <source>Reversal: {why}</source>
        <translation>Annulation&#xa0;: {why}</translation>
    </message>
    <message>
        <source>Receipt {ref} was already reversed.</source>
        <translation>Le reçu {ref} a déjà été annulé.</translation>
    </message>
    <message>
        <source>A pending sale cannot be reversed until its token has arrived.</source>
        <translation>Une vente en attente ne peut pas être annulée avant l&apos;arrivée de son jeton.</translation>
    </message>
    <message>
        <source>Nothing was sold on this sale ({state}): there is nothing to reverse.</source>
        <translation>Rien n&apos;a été vendu dans cette vente ({state})&#xa0;: il n&apos;y a rien à annuler.</translation>
    </message>
    <message>
        <source>reverse receipt {ref}</source>
        <translation>annuler le reçu {ref}</translation>
    </message>
    <message>
        <source>Reversal cancelled.</source>
        <translation>Annulation abandonnée.</translation>
    </message>
    <message>
        <source>Requesting reversal of {ref}…</source>
        <translation>Demande d&apos;annulation de {ref}…</translation>
    </message>
    <message>
        <source>Receipt {ref} reversed ({number}).</source>
        <translation>Reçu {ref} annulé ({number}).</translation>
    </message>
    <message>
        <source>Receipt {ref} was already reversed ({number}).</source>
        <translation>Le reçu {ref} avait déjà été annulé ({number}).</translation>
    </message>
</context>
<context>
    <name>ReversalDialog</name>
    <message>
        <source>Reverse this sale?</source>
        <translation>Annuler cette vente&#xa0;?</translation>
    </message>
    <message>
        <source>Receipt {ref}
Meter {meter} · {customer}
{amount} · {units}
Sold {when}

The customer gets the money back and the tokens become void.</source>
        <translation>Reçu {ref}
Compteur {meter} · {customer}
{amount} · {units}
Vendue le {when}

Le client est remboursé et les jetons deviennent nuls.</translation>
    </message>
    <message>
        <source>Reason (required):</source>
        <translation>Motif (obligatoire)&#xa0;:</translation>
    </message>
    <message>
        <source>Reverse</source>
        <translation>Annuler la vente</translation>
    </message>
</context>
<context>
    <name>SaleController</name>
    <message>
        <source>Operator: {name}</source>
        <translation>Opérateur&#xa0;: {name}</translation>
    </message>
    <message>
        <source>Looking up meter {meter}…</source>
        <translation>Recherche du compteur {meter}…</translation>
    </message>
    <message>
        <source>Selling…</source>
        <translation>Vente en cours…</translation>
    </message>
</context>
<context>
    <name>SaleFlow</name>
    <message>
        <source>Selling…</source>
        <translation>Vente en cours…</translation>
    </message>
    <message>
        <source>Ask again (Enter / F12)</source>
        <translation>Redemander (Entrée / F12)</translation>
    </message>
    <message>
        <source>Confirm (Enter)</source>
        <translation>Confirmer (Entrée)</translation>
    </message>
    <message>
        <source>Sell (Enter / F12)</source>
        <translation>Vendre (Entrée / F12)</translation>
    </message>
    <message>
        <source>The quote and its breakdown appear here.</source>
        <translation>Le devis et son détail s&apos;affichent ici.</translation>
    </message>
    <message>
        <source>Check the number on the meter or card.</source>
        <translation>Vérifiez le numéro sur le compteur ou la carte.</translation>
    </message>
    <message>
        <source>Getting the quote…</source>
        <translation>Calcul du devis…</translation>
    </message>
    <message>
        <source>Sale by units is not offered by this vending server.</source>
        <translation>La vente en unités n&apos;est pas proposée par ce serveur de vente.</translation>
    </message>
    <message>
        <source>Type the amount of money instead.</source>
        <translation>Tapez plutôt le montant en argent.</translation>
    </message>
    <message>
        <source>A sale by units needs the server: only it knows what the units cost. {reason}</source>
        <translation>Une vente en unités a besoin du serveur&#xa0;: lui seul connaît le prix des unités. {reason}</translation>
    </message>
    <message>
        <source>Press F7 and sell by amount (it goes pending), or wait.</source>
        <translation>Appuyez sur F7 et vendez par montant (la vente passe en attente), ou patientez.</translation>
    </message>
    <message>
        <source>not a number</source>
        <translation>pas un nombre</translation>
    </message>
    <message>
        <source>Change: -</source>
        <translation>Monnaie&#xa0;: -</translation>
    </message>
    <message>
        <source>Short by {money}</source>
        <translation>Il manque {money}</translation>
    </message>
    <message>
        <source>Change: {money}</source>
        <translation>Monnaie&#xa0;: {money}</translation>
    </message>
    <message>
        <source>Sign in before selling.</source>
        <translation>Connectez-vous avant de vendre.</translation>
    </message>
    <message>
        <source>The cash tendered is {money} short of the amount.</source>
        <translation>Il manque {money} aux espèces reçues pour atteindre le montant.</translation>
    </message>
    <message>
        <source>Take the full amount or lower it.</source>
        <translation>Encaissez le montant complet ou réduisez-le.</translation>
    </message>
    <message>
        <source>A new tariff is in force and the new price cannot be fetched now.</source>
        <translation>Un nouveau tarif est en vigueur et le nouveau prix ne peut pas être obtenu pour l&apos;instant.</translation>
    </message>
    <message>
        <source>Type the units as a number with at most one decimal, such as 50 or 50{sep}5.</source>
        <translation>Tapez les unités en nombre avec au plus une décimale, par exemple 50 ou 50{sep}5.</translation>
    </message>
    <message>
        <source>The units must be more than zero.</source>
        <translation>Les unités doivent être supérieures à zéro.</translation>
    </message>
</context>
<context>
    <name>SaleState</name>
    <message>
        <source>tokened</source>
        <translation>jeton émis</translation>
    </message>
    <message>
        <source>PENDING (no token yet)</source>
        <translation>EN ATTENTE (pas encore de jeton)</translation>
    </message>
    <message>
        <source>sending (not sold yet)</source>
        <translation>envoi en cours (pas encore vendue)</translation>
    </message>
    <message>
        <source>NOT COMPLETE (being checked)</source>
        <translation>INCOMPLÈTE (en vérification)</translation>
    </message>
    <message>
        <source>NEEDS ATTENTION (supervisor)</source>
        <translation>À VÉRIFIER (superviseur)</translation>
    </message>
    <message>
        <source>REJECTED (nothing sold: refund)</source>
        <translation>REFUSÉE (rien vendu&#xa0;: rembourser)</translation>
    </message>
    <message>
        <source>NOT SOLD (void)</source>
        <translation>NON VENDUE (nulle)</translation>
    </message>
    <message>
        <source>reversed</source>
        <translation>annulée</translation>
    </message>
    <message>
        <source>state unknown (ask a supervisor)</source>
        <translation>état inconnu (demandez à un superviseur)</translation>
    </message>
    <message>
        <source>{state}: {reason}</source>
        <translation>{state}&#xa0;: {reason}</translation>
    </message>
</context>
<context>
    <name>SaleView</name>
    <message>
        <source>&amp;Meter number</source>
        <translation>&amp;Numéro de compteur</translation>
    </message>
    <message>
        <source>type or scan, then Enter</source>
        <translation>tapez ou scannez, puis Entrée</translation>
    </message>
    <message>
        <source>Search (F3)</source>
        <translation>Rechercher (F3)</translation>
    </message>
    <message>
        <source>&amp;Amount</source>
        <translation>&amp;Montant</translation>
    </message>
    <message>
        <source>e.g. 100</source>
        <translation>ex. 100</translation>
    </message>
    <message>
        <source>&amp;Tendered</source>
        <translation>&amp;Espèces reçues</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>facultatif</translation>
    </message>
    <message>
        <source>Quote (F5)</source>
        <translation>Devis (F5)</translation>
    </message>
    <message>
        <source>Sell (Enter / F12)</source>
        <translation>Vendre (Entrée / F12)</translation>
    </message>
    <message>
        <source>Next customer (F2)</source>
        <translation>Client suivant (F2)</translation>
    </message>
    <message>
        <source>&amp;Units ({unit})</source>
        <translation>&amp;Unités ({unit})</translation>
    </message>
    <message>
        <source>e.g. 50</source>
        <translation>ex. 50</translation>
    </message>
</context>
<context>
    <name>SalesListDialog</name>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Référence</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>Compteur</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montant</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Unités</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Opérateur</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message numerus="yes">
        <source>%n sales, total {money}</source>
        <translation>
            <numerusform>%n vente, total {money}</numerusform>
            <numerusform>%n ventes, total {money}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchDialog</name>
    <message>
        <source>Find a customer</source>
        <translation>Trouver un client</translation>
    </message>
    <message>
        <source>Type part of the name, account number, address or meter number, then Enter. Use ↓ to move to the results and Enter to choose; Esc or Ctrl+F goes back to the search.</source>
        <translation>Tapez une partie du nom, du numéro de compte, de l&apos;adresse ou du numéro de compteur, puis Entrée. ↓ pour aller aux résultats et Entrée pour choisir&#xa0;; Échap ou Ctrl+F revient à la recherche.</translation>
    </message>
    <message>
        <source>&amp;Search (Enter)</source>
        <translation>&amp;Rechercher (Entrée)</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>Compteur</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Compte</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Demo meters are listed as examples.</source>
        <translation>Les compteurs de démo sont listés à titre d&apos;exemple.</translation>
    </message>
    <message>
        <source>Type at least 2 characters to search.</source>
        <translation>Tapez au moins 2 caractères pour chercher.</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message numerus="yes">
        <source>%n found</source>
        <translation>
            <numerusform>%n trouvé</numerusform>
            <numerusform>%n trouvés</numerusform>
        </translation>
    </message>
    <message>
        <source>{name} (BLOCKED)</source>
        <translation>{name} (BLOQUÉ)</translation>
    </message>
    <message>
        <source>Nothing found: try fewer letters.</source>
        <translation>Rien trouvé&#xa0;: essayez avec moins de lettres.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Server and terminal</source>
        <translation>Serveur et terminal</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>URL du serveur</translation>
    </message>
    <message>
        <source>Terminal</source>
        <translation>Terminal</translation>
    </message>
    <message>
        <source>one-time activation code</source>
        <translation>code d&apos;activation à usage unique</translation>
    </message>
    <message>
        <source>Counter 1</source>
        <translation>Caisse 1</translation>
    </message>
    <message>
        <source>Activate</source>
        <translation>Activer</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>Activation</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>Imprimante de reçus</translation>
    </message>
    <message>
        <source>e.g. 192.168.1.50:9100</source>
        <translation>ex. 192.168.1.50:9100</translation>
    </message>
    <message>
        <source>{n} characters</source>
        <translation>{n} caractères</translation>
    </message>
    <message>
        <source>default, or e.g. TM-T20II</source>
        <translation>par défaut, ou ex. TM-T20II</translation>
    </message>
    <message>
        <source>Test print</source>
        <translation>Imprimer un test</translation>
    </message>
    <message>
        <source>Find printers</source>
        <translation>Chercher</translation>
    </message>
    <message>
        <source>Find printers to list the ones this PC sees</source>
        <translation>Cliquez sur Chercher pour lister les imprimantes vues par ce PC</translation>
    </message>
    <message>
        <source>automatic, or e.g. CP858 for French and Portuguese</source>
        <translation>automatique, ou ex. CP858 pour le français et le portugais</translation>
    </message>
    <message>
        <source>Print a QR code of the meter and tokens</source>
        <translation>Imprimer un code QR du compteur et des jetons</translation>
    </message>
    <message>
        <source>image file, or empty for none</source>
        <translation>fichier image, ou vide pour aucun</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>network</source>
        <translation>réseau</translation>
    </message>
    <message>
        <source>usb</source>
        <translation>usb</translation>
    </message>
    <message>
        <source>serial</source>
        <translation>série</translation>
    </message>
    <message>
        <source>file</source>
        <translation>fichier</translation>
    </message>
    <message>
        <source>cups</source>
        <translation>cups</translation>
    </message>
    <message>
        <source>windows</source>
        <translation>windows</translation>
    </message>
    <message>
        <source>on pin 2</source>
        <translation>sur la broche 2</translation>
    </message>
    <message>
        <source>on pin 5</source>
        <translation>sur la broche 5</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>pulse</source>
        <translation>impulsion</translation>
    </message>
    <message>
        <source>Printers found</source>
        <translation>Imprimantes trouvées</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Connexion</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Paper width</source>
        <translation>Largeur du papier</translation>
    </message>
    <message>
        <source>Printer profile</source>
        <translation>Profil d&apos;imprimante</translation>
    </message>
    <message>
        <source>Code page</source>
        <translation>Page de code</translation>
    </message>
    <message>
        <source>Logo</source>
        <translation>Logo</translation>
    </message>
    <message>
        <source>Cash drawer</source>
        <translation>Tiroir-caisse</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Général</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <source>Same as the terminal</source>
        <translation>Comme le terminal</translation>
    </message>
    <message>
        <source>Receipts in</source>
        <translation>Reçus en</translation>
    </message>
    <message>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Lock the till after</source>
        <translation>Verrouiller la caisse après</translation>
    </message>
    <message>
        <source>Quick amounts</source>
        <translation>Montants rapides</translation>
    </message>
    <message>
        <source>Server and printer changes take effect when VendPoint starts again; the idle lock changes at once.</source>
        <translation>Les changements de serveur et d&apos;imprimante s&apos;appliquent au prochain démarrage de VendPoint&#xa0;; le verrouillage après inactivité change tout de suite.</translation>
    </message>
    <message>
        <source>activation not available</source>
        <translation>activation indisponible</translation>
    </message>
    <message>
        <source>activated</source>
        <translation>activé</translation>
    </message>
    <message>
        <source>NOT activated: enter the code</source>
        <translation>NON activé&#xa0;: saisissez le code</translation>
    </message>
    <message>
        <source>Type the activation code from the utility.</source>
        <translation>Tapez le code d&apos;activation fourni par le distributeur.</translation>
    </message>
    <message>
        <source>Type the server URL first (it starts with https://).</source>
        <translation>Tapez d&apos;abord l&apos;URL du serveur (elle commence par https://).</translation>
    </message>
    <message>
        <source>Activating…</source>
        <translation>Activation…</translation>
    </message>
    <message>
        <source>Terminal activated as {id}.</source>
        <translation>Terminal activé&#xa0;: {id}.</translation>
    </message>
    <message>
        <source>activated ({id})</source>
        <translation>activé ({id})</translation>
    </message>
    <message>
        <source>Sending a test slip…</source>
        <translation>Envoi d&apos;un ticket de test…</translation>
    </message>
    <message>
        <source>Test slip sent to the printer.</source>
        <translation>Ticket de test envoyé à l&apos;imprimante.</translation>
    </message>
    <message>
        <source>The test print failed.</source>
        <translation>L&apos;impression de test a échoué.</translation>
    </message>
    <message>
        <source>Looking for printers…</source>
        <translation>Recherche des imprimantes…</translation>
    </message>
    <message>
        <source>{n} found: choose one</source>
        <translation>Trouvées&#xa0;: {n}, choisissez-en une</translation>
    </message>
    <message>
        <source>Choose a printer from the list, then Test print.</source>
        <translation>Choisissez une imprimante dans la liste, puis Imprimer un test.</translation>
    </message>
    <message>
        <source>no printer found</source>
        <translation>aucune imprimante trouvée</translation>
    </message>
    <message>
        <source>No printer found; type the address (a network printer&apos;s IP).</source>
        <translation>Aucune imprimante trouvée&#xa0;; tapez l&apos;adresse (l&apos;IP d&apos;une imprimante réseau).</translation>
    </message>
    <message>
        <source>{message} ({notes})</source>
        <translation>{message} ({notes})</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <source>Pending sales (no token yet)</source>
        <translation>Ventes en attente (pas encore de jeton)</translation>
    </message>
    <message>
        <source>Today&apos;s sales</source>
        <translation>Ventes du jour</translation>
    </message>
    <message>
        <source>change the till&apos;s settings</source>
        <translation>modifier les paramètres de la caisse</translation>
    </message>
    <message>
        <source>Customer search: {why}</source>
        <translation>Recherche de clients&#xa0;: {why}</translation>
    </message>
    <message>
        <source>Sale {ref} did not go through: nothing was sold.</source>
        <translation>La vente {ref} n&apos;a pas abouti&#xa0;: rien n&apos;a été vendu.</translation>
    </message>
    <message>
        <source>Sale {receipt} was sold at a different price than quoted: {summary}</source>
        <translation>La vente {receipt} s&apos;est faite à un autre prix que le devis&#xa0;: {summary}</translation>
    </message>
    <message>
        <source>it needs a supervisor&apos;s decision</source>
        <translation>elle attend la décision d&apos;un superviseur</translation>
    </message>
    <message>
        <source>ATTENTION: sale {ref} (meter {meter}): {reason} Tell a supervisor.</source>
        <translation>ATTENTION&#xa0;: vente {ref} (compteur {meter})&#xa0;: {reason} Prévenez un superviseur.</translation>
    </message>
    <message>
        <source>Signed tariffs: {why}</source>
        <translation>Tarifs signés&#xa0;: {why}</translation>
    </message>
    <message>
        <source>Token arrived for pending sale {ref} (meter {meter}, {name}): receipt {receipt} is printing. Give it to the customer.</source>
        <translation>Jeton arrivé pour la vente en attente {ref} (compteur {meter}, {name})&#xa0;: le reçu {receipt} s&apos;imprime. Remettez-le au client.</translation>
    </message>
    <message>
        <source>Token arrived for pending sale {ref} (meter {meter}, {name}): receipt {receipt} could not print: press F8 to reprint. Give it to the customer.</source>
        <translation>Jeton arrivé pour la vente en attente {ref} (compteur {meter}, {name})&#xa0;: le reçu {receipt} n&apos;a pas pu s&apos;imprimer&#xa0;: appuyez sur F8 pour le réimprimer. Remettez-le au client.</translation>
    </message>
</context>
<context>
    <name>ShiftView</name>
    <message>
        <source>Open a shift</source>
        <translation>Ouvrir un poste</translation>
    </message>
    <message>
        <source>type the float you counted</source>
        <translation>tapez le fonds de caisse compté</translation>
    </message>
    <message>
        <source>Open shift</source>
        <translation>Ouvrir le poste</translation>
    </message>
    <message>
        <source>Counted float</source>
        <translation>Fonds de caisse compté</translation>
    </message>
    <message>
        <source>Cash drop</source>
        <translation>Remise en coffre</translation>
    </message>
    <message>
        <source>amount</source>
        <translation>montant</translation>
    </message>
    <message>
        <source>note (bag number)</source>
        <translation>note (n° de sac)</translation>
    </message>
    <message>
        <source>Record drop</source>
        <translation>Enregistrer la remise</translation>
    </message>
    <message>
        <source>Close the shift</source>
        <translation>Clôturer le poste</translation>
    </message>
    <message>
        <source>Note / coin</source>
        <translation>Billet / pièce</translation>
    </message>
    <message>
        <source>How many</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>counted total</source>
        <translation>total compté</translation>
    </message>
    <message>
        <source>Close shift</source>
        <translation>Clôturer le poste</translation>
    </message>
    <message>
        <source>Counted cash</source>
        <translation>Espèces comptées</translation>
    </message>
    <message>
        <source>Reprint the last shift report</source>
        <translation>Réimprimer le dernier rapport de poste</translation>
    </message>
    <message>
        <source>No shift is open.</source>
        <translation>Aucun poste n&apos;est ouvert.</translation>
    </message>
    <message>
        <source>Shift {id} open since {at}, float {float}.</source>
        <translation>Poste {id} ouvert depuis {at}, fonds de caisse {float}.</translation>
    </message>
    <message>
        <source>Count the drawer; the expected amount is shown when the shift is closed.</source>
        <translation>Comptez le tiroir&#xa0;; le montant attendu s&apos;affiche à la clôture du poste.</translation>
    </message>
    <message>
        <source>Cash sales {sales} ({n}), refunds {refunds}, drops {drops}: the drawer should hold {expected}.</source>
        <translation>Ventes en espèces {sales} ({n}), remboursements {refunds}, remises en coffre {drops}&#xa0;: le tiroir doit contenir {expected}.</translation>
    </message>
    <message>
        <source>Type the float you counted into the drawer (0 if there is none), then Enter.</source>
        <translation>Tapez le fonds de caisse compté dans le tiroir (0 s&apos;il n&apos;y en a pas), puis Entrée.</translation>
    </message>
    <message>
        <source>no counted cash</source>
        <translation>pas d&apos;espèces comptées</translation>
    </message>
    <message>
        <source>over</source>
        <translation>excédent</translation>
    </message>
    <message>
        <source>short</source>
        <translation>manque</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>aucun écart</translation>
    </message>
    <message>
        <source>Counted {counted}, expected {expected}: {word} {diff}.</source>
        <translation>Compté {counted}, attendu {expected}&#xa0;: {word} {diff}.</translation>
    </message>
    <message>
        <source>Counted {counted}. The expected amount and the difference are shown once the shift is closed.</source>
        <translation>Compté {counted}. Le montant attendu et l&apos;écart s&apos;affichent une fois le poste clôturé.</translation>
    </message>
    <message>
        <source>Close the shift now? {figures}</source>
        <translation>Clôturer le poste maintenant&#xa0;? {figures}</translation>
    </message>
    <message>
        <source>Shift report reprinted (reprint {n}).</source>
        <translation>Rapport de poste réimprimé (réimpression {n}).</translation>
    </message>
    <message>
        <source>Shift closed. Expected {expected}, counted {counted}: {word} {diff}. The shift report was sent to the printer.</source>
        <translation>Poste clôturé. Attendu {expected}, compté {counted}&#xa0;: {word} {diff}. Le rapport de poste a été envoyé à l&apos;imprimante.</translation>
    </message>
</context>
<context>
    <name>StartupScreen</name>
    <message>
        <source>Starting VendPoint…</source>
        <translation>Démarrage de VendPoint…</translation>
    </message>
    <message>
        <source>Try again (F5)</source>
        <translation>Réessayer (F5)</translation>
    </message>
    <message>
        <source>Settings (F11)</source>
        <translation>Paramètres (F11)</translation>
    </message>
    <message>
        <source>No keyring? Use a passphrase…</source>
        <translation>Pas de trousseau&#xa0;? Utiliser une phrase secrète…</translation>
    </message>
</context>
<context>
    <name>StatusBarController</name>
    <message>
        <source>● Status unknown</source>
        <translation>● État inconnu</translation>
    </message>
</context>
<context>
    <name>StatusBarView</name>
    <message>
        <source>Not signed in</source>
        <translation>Non connecté</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>● Online</source>
        <translation>● En ligne</translation>
    </message>
    <message>
        <source>server not reachable</source>
        <translation>serveur injoignable</translation>
    </message>
    <message>
        <source>● OFFLINE: {reason}</source>
        <translation>● HORS LIGNE&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>Pending: {count} ({value})</source>
        <translation>En attente&#xa0;: {count} ({value})</translation>
    </message>
    <message>
        <source>, {n} need attention</source>
        <translation>, {n} à vérifier</translation>
    </message>
    <message>
        <source>Pending: 0</source>
        <translation>En attente&#xa0;: 0</translation>
    </message>
    <message>
        <source>Last sync: never</source>
        <translation>Dernière synchro&#xa0;: jamais</translation>
    </message>
    <message>
        <source>Last sync: {time}</source>
        <translation>Dernière synchro&#xa0;: {time}</translation>
    </message>
    <message>
        <source>Printer: {state}</source>
        <translation>Imprimante&#xa0;: {state}</translation>
    </message>
    <message>
        <source>not set up</source>
        <translation>non configurée</translation>
    </message>
    <message>
        <source>Credit: -</source>
        <translation>Crédit&#xa0;: -</translation>
    </message>
    <message>
        <source>Credit: {money}</source>
        <translation>Crédit&#xa0;: {money}</translation>
    </message>
    <message>
        <source>Tariff: {version}</source>
        <translation>Tarif&#xa0;: {version}</translation>
    </message>
    <message>
        <source>⚠ Clock is {minutes} min {direction} the server: fix the PC&apos;s date and time</source>
        <translation>⚠ L&apos;horloge a {minutes} min {direction} le serveur&#xa0;: corrigez la date et l&apos;heure du PC</translation>
    </message>
    <message>
        <source>ahead of</source>
        <translation>d&apos;avance sur</translation>
    </message>
    <message>
        <source>behind</source>
        <translation>de retard sur</translation>
    </message>
    <message>
        <source>{names} and {n} more</source>
        <translation>{names} et {n} de plus</translation>
    </message>
    <message>
        <source>Not offered by this server: {names}</source>
        <translation>Non proposé par ce serveur&#xa0;: {names}</translation>
    </message>
    <message>
        <source>Not offered by this server, so disabled on this till: {names}.</source>
        <translation>Non proposé par ce serveur, donc désactivé sur cette caisse&#xa0;: {names}.</translation>
    </message>
    <message>
        <source>Operator: {name} ({role})</source>
        <translation>Opérateur&#xa0;: {name} ({role})</translation>
    </message>
</context>
<context>
    <name>SupervisorConsole</name>
    <message>
        <source>Supervisor</source>
        <translation>Superviseur</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Poste</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Rapports</translation>
    </message>
    <message>
        <source>Engineering tokens</source>
        <translation>Jetons techniques</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>À vérifier</translation>
    </message>
    <message>
        <source>Journal</source>
        <translation>Journal</translation>
    </message>
</context>
<context>
    <name>SupervisorDialog</name>
    <message>
        <source>Supervisor approval</source>
        <translation>Accord du superviseur</translation>
    </message>
    <message>
        <source>A supervisor must approve: {action}</source>
        <translation>Un superviseur doit approuver&#xa0;: {action}</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Superviseur</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Code PIN</translation>
    </message>
    <message>
        <source>Type the supervisor&apos;s username and PIN.</source>
        <translation>Tapez l&apos;identifiant et le code PIN du superviseur.</translation>
    </message>
</context>
<context>
    <name>SupervisorMenu</name>
    <message>
        <source>&amp;Supervisor</source>
        <translation>&amp;Superviseur</translation>
    </message>
    <message>
        <source>&amp;Shift (open, drop, close)</source>
        <translation>&amp;Poste (ouvrir, remise, clôturer)</translation>
    </message>
    <message>
        <source>&amp;Reports, X and Z</source>
        <translation>&amp;Rapports X et Z</translation>
    </message>
    <message>
        <source>&amp;Engineering tokens</source>
        <translation>Jetons &amp;techniques</translation>
    </message>
    <message>
        <source>&amp;Needs attention</source>
        <translation>À &amp;vérifier</translation>
    </message>
    <message>
        <source>&amp;Journal</source>
        <translation>&amp;Journal</translation>
    </message>
</context>
<context>
    <name>TariffBanner</name>
    <message>
        <source>it was not signed</source>
        <translation>elle n&apos;était pas signée</translation>
    </message>
    <message>
        <source>it was signed with an unknown key</source>
        <translation>elle était signée avec une clé inconnue</translation>
    </message>
    <message>
        <source>its signature is not valid</source>
        <translation>sa signature n&apos;est pas valide</translation>
    </message>
    <message>
        <source>it was older than the tariff in use</source>
        <translation>elle était plus ancienne que le tarif en vigueur</translation>
    </message>
    <message>
        <source>it contradicts the tariff in use</source>
        <translation>elle contredit le tarif en vigueur</translation>
    </message>
    <message>
        <source>it was a copy of an earlier update</source>
        <translation>c&apos;était la copie d&apos;une mise à jour antérieure</translation>
    </message>
    <message>
        <source>it had expired</source>
        <translation>elle avait expiré</translation>
    </message>
    <message>
        <source>Tariff</source>
        <translation>Tarif</translation>
    </message>
    <message>
        <source>{name} updated to version {version}, effective now</source>
        <translation>{name} mis à jour en version {version}, en vigueur maintenant</translation>
    </message>
    <message>
        <source>{name} updated to version {version}, effective {when}</source>
        <translation>{name} mis à jour en version {version}, en vigueur à {when}</translation>
    </message>
    <message>
        <source>{name} version {version} is now in force</source>
        <translation>{name} version {version} est maintenant en vigueur</translation>
    </message>
    <message>
        <source>it failed the checks</source>
        <translation>elle n&apos;a pas passé les contrôles</translation>
    </message>
    <message>
        <source>A tariff update ({tariff} version {version}) was refused: {why}. The tariff in use is unchanged; tell your supervisor if this repeats.</source>
        <translation>Une mise à jour de tarif ({tariff} version {version}) a été refusée&#xa0;: {why}. Le tarif en vigueur est inchangé&#xa0;; prévenez votre superviseur si cela se répète.</translation>
    </message>
    <message>
        <source>Meter {meter} accepted the token of receipt {receipt}: balance {balance} {unit}</source>
        <translation>Le compteur {meter} a accepté le jeton du reçu {receipt}&#xa0;: solde {balance} {unit}</translation>
    </message>
    <message>
        <source>Meter {meter} did NOT accept the token of receipt {receipt}: ask the customer to enter it by hand</source>
        <translation>Le compteur {meter} n&apos;a PAS accepté le jeton du reçu {receipt}&#xa0;: demandez au client de le saisir à la main</translation>
    </message>
    <message>
        <source>View tariffs</source>
        <translation>Voir les tarifs</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Tariff news</source>
        <translation>Nouveautés tarifaires</translation>
    </message>
</context>
<context>
    <name>TariffViewer</name>
    <message>
        <source>Tariffs</source>
        <translation>Tarifs</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation>En vigueur dès</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Expire le</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Signed with key</source>
        <translation>Signée avec la clé</translation>
    </message>
    <message>
        <source>From (kWh)</source>
        <translation>De (kWh)</translation>
    </message>
    <message>
        <source>To (kWh)</source>
        <translation>À (kWh)</translation>
    </message>
    <message>
        <source>Rate per unit</source>
        <translation>Prix unitaire</translation>
    </message>
    <message>
        <source>Charge</source>
        <translation>Frais</translation>
    </message>
    <message>
        <source>Per month</source>
        <translation>Par mois</translation>
    </message>
    <message>
        <source>Version history</source>
        <translation>Historique des versions</translation>
    </message>
    <message>
        <source>Energy blocks</source>
        <translation>Tranches d&apos;énergie</translation>
    </message>
    <message>
        <source>Fixed charges</source>
        <translation>Frais fixes</translation>
    </message>
    <message>
        <source>{name} ({tariff})</source>
        <translation>{name} ({tariff})</translation>
    </message>
    <message>
        <source>{name} ({tariff})
version {version}</source>
        <translation>{name} ({tariff})
version {version}</translation>
    </message>
    <message>
        <source>{when}  {tariff} v{version}: {reason}</source>
        <translation>{when}  {tariff} v{version}&#xa0;: {reason}</translation>
    </message>
    <message>
        <source>Refused updates (the tariff in use was kept):
{lines}</source>
        <translation>Mises à jour refusées (le tarif en cours a été gardé)&#xa0;:
{lines}</translation>
    </message>
    <message>
        <source>{currency} {rate} / {unit} ({vat})</source>
        <translation>{currency} {rate} / {unit} ({vat})</translation>
    </message>
    <message>
        <source>VAT {rate}% (prices include VAT).</source>
        <translation>TVA {rate}&#xa0;% (prix TTC).</translation>
    </message>
    <message>
        <source>VAT {rate}% (added to prices).</source>
        <translation>TVA {rate}&#xa0;% (ajoutée aux prix).</translation>
    </message>
    <message>
        <source>{vat} Debt recovery {debt}% of each purchase, at least {minimum}. Free basic {service}: {units} {unit} a month.</source>
        <translation>{vat} Recouvrement de dette&#xa0;: {debt}&#xa0;% de chaque achat, au moins {minimum}. Base gratuite ({service})&#xa0;: {units} {unit} par mois.</translation>
    </message>
    <message>
        <source>No refused updates.</source>
        <translation>Aucune mise à jour refusée.</translation>
    </message>
    <message>
        <source>No tariff has been received yet.</source>
        <translation>Aucun tarif n&apos;a encore été reçu.</translation>
    </message>
    <message>
        <source>{name} ({tariff}), version {version}: {status}. Effective {start}, expires {end}; signed with key {key}.</source>
        <translation>{name} ({tariff}), version {version}&#xa0;: {status}. En vigueur dès le {start}, expire le {end}&#xa0;; signée avec la clé {key}.</translation>
    </message>
    <message>
        <source>incl. VAT</source>
        <translation>TTC</translation>
    </message>
    <message>
        <source>excl. VAT</source>
        <translation>HT</translation>
    </message>
</context>
<context>
    <name>TokenPanel</name>
    <message>
        <source>Delivered into the smart meter: the customer does not need to enter these tokens (they are on the receipt).</source>
        <translation>Transmis au compteur intelligent&#xa0;: le client n&apos;a pas besoin de saisir ces jetons (ils figurent sur le reçu).</translation>
    </message>
    <message>
        <source>Delivered into the smart meter: it accepted the token. Meter balance now {balance} {unit}.</source>
        <translation>Transmis au compteur intelligent&#xa0;: il a accepté le jeton. Solde du compteur&#xa0;: {balance} {unit}.</translation>
    </message>
    <message>
        <source>The smart meter did NOT accept the token: the customer must enter it by hand.</source>
        <translation>Le compteur intelligent n&apos;a PAS accepté le jeton&#xa0;: le client doit le saisir à la main.</translation>
    </message>
    <message>
        <source>Sold at a different price than quoted: {summary} The tokens and the receipt show what was sold; tell the customer.</source>
        <translation>Vente faite à un autre prix que le devis&#xa0;: {summary} Les jetons et le reçu indiquent ce qui a été vendu&#xa0;; prévenez le client.</translation>
    </message>
    <message>
        <source>NOT COMPLETE: no usable answer for sale {ref}.
Do not hand over anything and do not sell again. Enter asks the server about this same sale; Esc leaves it to VendPoint, which keeps checking and shows the result.</source>
        <translation>INCOMPLÈTE&#xa0;: aucune réponse exploitable pour la vente {ref}.
Ne remettez rien et ne vendez pas de nouveau. Entrée interroge le serveur sur cette même vente&#xa0;; Échap laisse faire VendPoint, qui continue de vérifier et affiche le résultat.</translation>
    </message>
    <message>
        <source>NO TOKEN YET: sale saved as pending {ref}.
The customer gets a pending slip (it is NOT a token). The token prints by itself when the server is back.</source>
        <translation>PAS ENCORE DE JETON&#xa0;: vente enregistrée en attente {ref}.
Le client reçoit un ticket d&apos;attente (ce n&apos;est PAS un jeton). Le jeton s&apos;imprimera tout seul au retour du serveur.</translation>
    </message>
    <message>
        <source>Receipt {ref}: {units} {unit} for {amount}. Enter the tokens in this order:</source>
        <translation>Reçu {ref}&#xa0;: {units} {unit} pour {amount}. Saisissez les jetons dans cet ordre&#xa0;:</translation>
    </message>
    <message>
        <source>NOT SOLD: the server never received sale {ref}. Nothing was sold; press F2 and sell again if the customer still wants to buy.</source>
        <translation>NON VENDUE&#xa0;: le serveur n&apos;a jamais reçu la vente {ref}. Rien n&apos;a été vendu&#xa0;; appuyez sur F2 et vendez de nouveau si le client veut toujours acheter.</translation>
    </message>
    <message>
        <source>TOKEN ARRIVED for pending sale {ref}: receipt {receipt} is printing. Give the printed token receipt to the customer; press F8 to reprint it.</source>
        <translation>JETON ARRIVÉ pour la vente en attente {ref}&#xa0;: le reçu {receipt} s&apos;imprime. Remettez le reçu imprimé du jeton au client&#xa0;; appuyez sur F8 pour le réimprimer.</translation>
    </message>
    <message>
        <source>Printing the slip…</source>
        <translation>Impression du ticket…</translation>
    </message>
    <message>
        <source>Slip printed.</source>
        <translation>Ticket imprimé.</translation>
    </message>
    <message>
        <source>The slip did not print ({detail}). Fix the printer, then press F8 to reprint.</source>
        <translation>Le ticket ne s&apos;est pas imprimé ({detail}). Vérifiez l&apos;imprimante, puis appuyez sur F8 pour réimprimer.</translation>
    </message>
    <message>
        <source>The slip did not print. Fix the printer, then press F8 to reprint.</source>
        <translation>Le ticket ne s&apos;est pas imprimé. Vérifiez l&apos;imprimante, puis appuyez sur F8 pour réimprimer.</translation>
    </message>
    <message>
        <source>No printer is set up: read the tokens out or write them down.</source>
        <translation>Aucune imprimante n&apos;est configurée&#xa0;: lisez les jetons à voix haute ou notez-les.</translation>
    </message>
</context>
<context>
    <name>keymap</name>
    <message>
        <source>Enter/F12 Sell</source>
        <translation>Entrée/F12 Vendre</translation>
    </message>
    <message>
        <source>F2 New customer</source>
        <translation>F2 Nouveau client</translation>
    </message>
    <message>
        <source>F3 Search</source>
        <translation>F3 Rechercher</translation>
    </message>
    <message>
        <source>F5 Quote</source>
        <translation>F5 Devis</translation>
    </message>
    <message>
        <source>F7 Units</source>
        <translation>F7 Unités</translation>
    </message>
    <message>
        <source>F6 Tariffs</source>
        <translation>F6 Tarifs</translation>
    </message>
    <message>
        <source>F8 Reprint</source>
        <translation>F8 Réimprimer</translation>
    </message>
    <message>
        <source>F9 Pending</source>
        <translation>F9 En attente</translation>
    </message>
    <message>
        <source>F10 Today</source>
        <translation>F10 Aujourd&apos;hui</translation>
    </message>
    <message>
        <source>F11 Settings</source>
        <translation>F11 Paramètres</translation>
    </message>
    <message>
        <source>Esc Back</source>
        <translation>Échap Retour</translation>
    </message>
    <message>
        <source>Ctrl+L Lock</source>
        <translation>Ctrl+L Verrouiller</translation>
    </message>
</context>
</TS>
