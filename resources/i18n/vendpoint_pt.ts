<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_PT" sourcelanguage="en">
<context>
    <name>AppController</name>
    <message>
        <source> (not offered by this vending server)</source>
        <translation> (não disponível neste servidor de vendas)</translation>
    </message>
    <message>
        <source>Change the passphrase…</source>
        <translation>Alterar a frase de acesso…</translation>
    </message>
    <message>
        <source>VendPoint could not start.</source>
        <translation>Não foi possível iniciar o VendPoint.</translation>
    </message>
</context>
<context>
    <name>ApprovalDialog</name>
    <message>
        <source>Supervisor approval</source>
        <translation>Aprovação do supervisor</translation>
    </message>
    <message>
        <source>A supervisor must approve: {action}</source>
        <translation>Um supervisor tem de aprovar: {action}</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Choose or type the supervisor.</source>
        <translation>Escolha ou escreva o supervisor.</translation>
    </message>
    <message>
        <source>A PIN is 4 to 12 digits.</source>
        <translation>O PIN tem entre 4 e 12 dígitos.</translation>
    </message>
</context>
<context>
    <name>AttentionView</name>
    <message>
        <source>Note</source>
        <translation>Nota</translation>
    </message>
    <message>
        <source>Sales the server refused or could not settle. The customer paid; decide what happens: try again, pay back in cash, or write a note and close.</source>
        <translation>Vendas que o servidor recusou ou não conseguiu liquidar. O cliente pagou; decida o que fazer: tentar de novo, reembolsar em dinheiro, ou escrever uma nota e fechar.</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referência</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>Feita em</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>Contador</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montante</translation>
    </message>
    <message>
        <source>Cashier</source>
        <translation>Caixa</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Cliente</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Tentar de novo</translation>
    </message>
    <message>
        <source>Record cash refund</source>
        <translation>Registar reembolso em dinheiro</translation>
    </message>
    <message>
        <source>Note and close</source>
        <translation>Anotar e fechar</translation>
    </message>
    <message>
        <source>see the sales that need attention</source>
        <translation>ver as vendas a verificar</translation>
    </message>
    <message>
        <source>resolve {ref}</source>
        <translation>resolver {ref}</translation>
    </message>
    <message>
        <source>Why? (kept in the audit journal)</source>
        <translation>Porquê? (fica no diário de auditoria)</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <source>No customer yet</source>
        <translation>Ainda sem cliente</translation>
    </message>
    <message>
        <source>Type or scan the meter number and press Enter, or press F3 to search by name, account or address.</source>
        <translation>Escreva ou leia o número do contador e prima Enter, ou prima F3 para procurar por nome, conta ou morada.</translation>
    </message>
    <message>
        <source>Demo meters to try:</source>
        <translation>Contadores de demonstração para experimentar:</translation>
    </message>
    <message>
        <source>no earlier purchase</source>
        <translation>sem compras anteriores</translation>
    </message>
    <message>
        <source>last purchase {days} days ago</source>
        <translation>última compra há {days} dias</translation>
    </message>
    <message>
        <source>Meter {meter} · Account {account}
{utility} · {tariff}
{last}</source>
        <translation>Contador {meter} · Conta {account}
{utility} · {tariff}
{last}</translation>
    </message>
    <message>
        <source>ask the utility why</source>
        <translation>pergunte à distribuidora porquê</translation>
    </message>
    <message>
        <source>BLOCKED: no sale possible ({reason}).</source>
        <translation>BLOQUEADO: venda impossível ({reason}).</translation>
    </message>
</context>
<context>
    <name>EngineeringView</name>
    <message>
        <source>11 or 13 digits, then Enter to look it up</source>
        <translation>11 ou 13 dígitos e Enter para procurar</translation>
    </message>
    <message>
        <source> W</source>
        <comment>watts after the power limit</comment>
        <translation> W</translation>
    </message>
    <message>
        <source>pending change only</source>
        <translation>só a mudança pendente</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>Contador</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Código</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>Limite</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>Registo</translation>
    </message>
    <message>
        <source>New tariff index</source>
        <translation>Novo índice tarifário</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Issue (supervisor PIN)</source>
        <translation>Emitir (PIN do supervisor)</translation>
    </message>
    <message>
        <source>Recent engineering tokens</source>
        <translation>Códigos técnicos recentes</translation>
    </message>
    <message>
        <source>Looking up meter {meter}…</source>
        <translation>A procurar o contador {meter}…</translation>
    </message>
    <message>
        <source>{name}, {address} · {utility} · {tariff}</source>
        <translation>{name}, {address} · {utility} · {tariff}</translation>
    </message>
    <message>
        <source>no reason given</source>
        <translation>sem motivo indicado</translation>
    </message>
    <message>
        <source>BLOCKED: {reason}. Check with the utility before issuing a token for this meter.</source>
        <translation>BLOQUEADO: {reason}. Confirme com a distribuidora antes de emitir um código para este contador.</translation>
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
        <translation>referência</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>contém</translation>
    </message>
    <message>
        <source>from 2026-11-25</source>
        <translation>desde 2026-11-25</translation>
    </message>
    <message>
        <source>before 2026-11-26</source>
        <translation>antes de 2026-11-26</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Filtrar</translation>
    </message>
    <message>
        <source>Verify hash chain</source>
        <translation>Verificar cadeia de hash</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Exportar CSV</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referência</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Detalhes</translation>
    </message>
    <message>
        <source>{n} entries shown.</source>
        <translation>Entradas mostradas: {n}.</translation>
    </message>
    <message>
        <source>Export the journal</source>
        <translation>Exportar o diário</translation>
    </message>
    <message>
        <source>Writing the journal export…</source>
        <translation>A escrever a exportação do diário…</translation>
    </message>
    <message>
        <source>{n} entries saved: {path}</source>
        <translation>Entradas guardadas: {n}, em {path}</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Not offered by this vending server.</source>
        <translation>Não disponível neste servidor de vendas.</translation>
    </message>
    <message>
        <source>cashier</source>
        <translation>operador de caixa</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>supervisor</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>administrador</translation>
    </message>
    <message>
        <source>other role</source>
        <translation>outra função</translation>
    </message>
    <message>
        <source>Signed tariff documents</source>
        <translation>Documentos de tarifa assinados</translation>
    </message>
    <message>
        <source>Server events</source>
        <translation>Eventos do servidor</translation>
    </message>
    <message>
        <source>Batch upload of offline sales</source>
        <translation>Envio em lote das vendas sem ligação</translation>
    </message>
    <message>
        <source>Customer search</source>
        <translation>Pesquisa de clientes</translation>
    </message>
    <message>
        <source>Sale reversal</source>
        <translation>Anulação de vendas</translation>
    </message>
    <message>
        <source>Z report reconciliation</source>
        <translation>Conciliação do relatório Z</translation>
    </message>
    <message>
        <source>Engineering tokens</source>
        <translation>Códigos técnicos</translation>
    </message>
    <message>
        <source>Sale by units</source>
        <translation>Venda por unidades</translation>
    </message>
    <message>
        <source>another service</source>
        <translation>outro serviço</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>pronta</translation>
    </message>
    <message>
        <source>paper low</source>
        <translation>pouco papel</translation>
    </message>
    <message>
        <source>PAPER OUT</source>
        <translation>SEM PAPEL</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>sem ligação</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconhecido</translation>
    </message>
    <message>
        <source>not set up</source>
        <translation>não configurada</translation>
    </message>
    <message>
        <source>not uploaded yet</source>
        <translation>ainda não enviado</translation>
    </message>
    <message>
        <source>upload failed</source>
        <translation>envio falhou</translation>
    </message>
    <message>
        <source>uploaded, matches the server</source>
        <translation>enviado, igual ao servidor</translation>
    </message>
    <message>
        <source>uploaded, differs from the server</source>
        <translation>enviado, diferente do servidor</translation>
    </message>
    <message>
        <source>upload state unknown</source>
        <translation>estado do envio desconhecido</translation>
    </message>
    <message>
        <source>Clear tamper</source>
        <translation>Limpar violação</translation>
    </message>
    <message>
        <source>Clear credit</source>
        <translation>Limpar crédito</translation>
    </message>
    <message>
        <source>Set maximum power limit</source>
        <translation>Definir limite máximo de potência</translation>
    </message>
    <message>
        <source>Set phase unbalance limit</source>
        <translation>Definir limite de desequilíbrio de fases</translation>
    </message>
    <message>
        <source>Key change (TID rollover / tariff index)</source>
        <translation>Mudança de chave (renovação do TID / índice tarifário)</translation>
    </message>
    <message>
        <source>Test / display</source>
        <translation>Teste / visualização</translation>
    </message>
    <message>
        <source>another token type</source>
        <translation>outro tipo de código</translation>
    </message>
    <message>
        <source>electricity</source>
        <translation>electricidade</translation>
    </message>
    <message>
        <source>water</source>
        <translation>água</translation>
    </message>
    <message>
        <source>gas</source>
        <translation>gás</translation>
    </message>
    <message>
        <source>all registers</source>
        <translation>todos os registos</translation>
    </message>
    <message>
        <source>in force</source>
        <translation>em vigor</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>expirada</translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation>agendada</translation>
    </message>
    <message>
        <source>superseded</source>
        <translation>substituída</translation>
    </message>
</context>
<context>
    <name>LoginController</name>
    <message>
        <source>Type your username first.</source>
        <translation>Escreva primeiro o seu nome de utilizador.</translation>
    </message>
    <message>
        <source>Type your PIN, then press Enter.</source>
        <translation>Escreva o seu PIN e prima Enter.</translation>
    </message>
</context>
<context>
    <name>LoginView</name>
    <message>
        <source>Sign in to sell</source>
        <translation>Inicie sessão para vender</translation>
    </message>
    <message>
        <source>Type your username and PIN, then press Enter.</source>
        <translation>Escreva o seu utilizador e PIN e prima Enter.</translation>
    </message>
    <message>
        <source>username</source>
        <translation>utilizador</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>&amp;Username</source>
        <translation>&amp;Utilizador</translation>
    </message>
    <message>
        <source>&amp;PIN</source>
        <translation>&amp;PIN</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Língua</translation>
    </message>
    <message>
        <source>Sign in (Enter)</source>
        <translation>Iniciar sessão (Enter)</translation>
    </message>
    <message>
        <source>Till locked</source>
        <translation>Caixa bloqueada</translation>
    </message>
    <message>
        <source>Locked after a quiet spell.</source>
        <translation>Bloqueada por inactividade.</translation>
    </message>
    <message>
        <source>Locked by {name}.</source>
        <translation>Bloqueada por {name}.</translation>
    </message>
    <message>
        <source>{why} {name}, enter your PIN to carry on, or another operator can sign in.</source>
        <translation>{why} {name}, introduza o seu PIN para continuar, ou outro operador pode iniciar sessão.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>A verificar…</translation>
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
        <translation>MODO DE DEMONSTRAÇÃO: servidor de demonstração e dados descartáveis, sem dinheiro nem códigos reais</translation>
    </message>
    <message>
        <source>Welcome to {name}</source>
        <translation>Bem-vindo ao {name}</translation>
    </message>
    <message>
        <source>Server: {url}</source>
        <translation>Servidor: {url}</translation>
    </message>
    <message>
        <source>not set up</source>
        <translation>não configurado</translation>
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
        <translation>Proteja esta caixa com uma frase de acesso</translation>
    </message>
    <message>
        <source>Unlock VendPoint</source>
        <translation>Desbloquear o VendPoint</translation>
    </message>
    <message>
        <source>Change the passphrase</source>
        <translation>Alterar a frase de acesso</translation>
    </message>
    <message>
        <source>Restore the store from a backup</source>
        <translation>Restaurar os dados a partir de uma cópia de segurança</translation>
    </message>
    <message>
        <source>This computer has no usable keyring. Choose a passphrase (8 characters or more, ideally a sentence): it will be asked each time VendPoint starts. Without it the store cannot be read, so keep it safe.</source>
        <translation>Este computador não tem um porta-chaves utilizável. Escolha uma frase de acesso (8 caracteres ou mais, idealmente uma frase): será pedida sempre que o VendPoint arrancar. Sem ela, os dados não podem ser lidos; guarde-a em lugar seguro.</translation>
    </message>
    <message>
        <source>This till&apos;s store is protected by a passphrase. Type it to start.</source>
        <translation>Os dados desta caixa estão protegidos por uma frase de acesso. Escreva-a para começar.</translation>
    </message>
    <message>
        <source>Type the current passphrase, then the new one twice.</source>
        <translation>Escreva a frase de acesso actual e depois a nova, duas vezes.</translation>
    </message>
    <message>
        <source>Choose an encrypted backup, type its passphrase, and choose the till&apos;s new passphrase. A store already here is moved aside, never deleted. Activate the till again afterwards.</source>
        <translation>Escolha uma cópia de segurança cifrada, escreva a frase de acesso dela e escolha a nova frase de acesso da caixa. Os dados que já estejam aqui são postos de parte, nunca apagados. Depois, active de novo a caixa.</translation>
    </message>
    <message>
        <source>path of the backup file</source>
        <translation>caminho do ficheiro de cópia de segurança</translation>
    </message>
    <message>
        <source>Restore from a backup…</source>
        <translation>Restaurar de uma cópia de segurança…</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>Nova frase de acesso</translation>
    </message>
    <message>
        <source>Again</source>
        <translation>Repetir</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Frase de acesso</translation>
    </message>
    <message>
        <source>Current passphrase</source>
        <translation>Frase de acesso actual</translation>
    </message>
    <message>
        <source>Backup file</source>
        <translation>Ficheiro da cópia</translation>
    </message>
    <message>
        <source>Backup passphrase</source>
        <translation>Frase de acesso da cópia</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>A trabalhar…</translation>
    </message>
</context>
<context>
    <name>QuotePanel</name>
    <message>
        <source>Type the amount and press Enter for a quote.</source>
        <translation>Escreva o montante e prima Enter para obter a cotação.</translation>
    </message>
    <message>
        <source>Amount: {amount}</source>
        <translation>Montante: {amount}</translation>
    </message>
    <message>
        <source>PRICE CHANGED: {summary}</source>
        <translation>O PREÇO MUDOU: {summary}</translation>
    </message>
    <message>
        <source>{line}: {old} → {new}</source>
        <translation>{line}: {old} → {new}</translation>
    </message>
    <message>
        <source>New price confirmed: press Enter (F12) to sell.</source>
        <translation>Novo preço confirmado: prima Enter (F12) para vender.</translation>
    </message>
    <message>
        <source>Tell the customer. Press Enter to confirm the new price, then Enter again to sell; Esc to stop.</source>
        <translation>Informe o cliente. Prima Enter para confirmar o novo preço e Enter de novo para vender; Esc para parar.</translation>
    </message>
    <message>
        <source>OFFLINE: no quote for {amount}.</source>
        <translation>SEM LIGAÇÃO: sem cotação para {amount}.</translation>
    </message>
    <message>
        <source>{reason}
Selling now keeps the sale PENDING: the customer gets a pending slip, NOT a token. The server prices it and the token prints here when the connection is back. Press Enter to sell pending, Esc to stop.</source>
        <translation>{reason}
Vender agora deixa a venda PENDENTE: o cliente recebe um talão de pendente, NÃO um código. O servidor calcula o preço e o código é impresso aqui quando a ligação voltar. Prima Enter para vender como pendente, Esc para parar.</translation>
    </message>
    <message>
        <source>{amount} buys {units} {unit}</source>
        <translation>{amount} compra {units} {unit}</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Descrição</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Unidades</translation>
    </message>
    <message>
        <source>Amount incl. VAT</source>
        <translation>Montante c/ IVA</translation>
    </message>
    <message>
        <source>{desc} @ {rate}</source>
        <translation>{desc} @ {rate}</translation>
    </message>
    <message>
        <source>{desc} (included above)</source>
        <translation>{desc} (incluído acima)</translation>
    </message>
    <message>
        <source>Tariff: {tariff}</source>
        <translation>Tarifa: {tariff}</translation>
    </message>
    <message>
        <source>Key change tokens will be issued first.</source>
        <translation>Os códigos de mudança de chave serão emitidos primeiro.</translation>
    </message>
    <message>
        <source>Tokens: {list}</source>
        <translation>Códigos: {list}</translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <source>All operators</source>
        <translation>Todos os operadores</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Mostrar</translation>
    </message>
    <message>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <source>to</source>
        <translation>a</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operador</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Descrição</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Quantidade</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montante</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Unidades</translation>
    </message>
    <message>
        <source>Sales per hour ({cur})</source>
        <translation>Vendas por hora ({cur})</translation>
    </message>
    <message>
        <source>Sales by tariff ({cur})</source>
        <translation>Vendas por tarifa ({cur})</translation>
    </message>
    <message>
        <source>Export PDF</source>
        <translation>Exportar PDF</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>Exportar CSV</translation>
    </message>
    <message>
        <source>Export detail CSV</source>
        <translation>Exportar CSV detalhado</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>Imprimir</translation>
    </message>
    <message>
        <source>Print X report</source>
        <translation>Imprimir relatório X</translation>
    </message>
    <message>
        <source>Close day (Z report)</source>
        <translation>Fechar o dia (relatório Z)</translation>
    </message>
    <message>
        <source>Reprint Z</source>
        <translation>Reimprimir Z</translation>
    </message>
    <message>
        <source>Upload / reconcile Z</source>
        <translation>Enviar / conciliar Z</translation>
    </message>
    <message>
        <source>Z {number}  {when}  {state}</source>
        <translation>Z {number}  {when}  {state}</translation>
    </message>
    <message>
        <source>Show a report first.</source>
        <translation>Mostre primeiro um relatório.</translation>
    </message>
    <message>
        <source>PDF</source>
        <translation>PDF</translation>
    </message>
    <message>
        <source>PDF saved: {path}</source>
        <translation>PDF guardado: {path}</translation>
    </message>
    <message>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <source>CSV saved: {path}</source>
        <translation>CSV guardado: {path}</translation>
    </message>
    <message>
        <source>Writing the {what}…</source>
        <translation>A escrever o ficheiro {what}…</translation>
    </message>
    <message>
        <source>The export was not written.</source>
        <translation>A exportação não foi guardada.</translation>
    </message>
    <message>
        <source>Sent to the printer.</source>
        <translation>Enviado para a impressora.</translation>
    </message>
    <message>
        <source>X report printed: {n} sales, {amount}.</source>
        <translation>Relatório X impresso: {n} venda(s), {amount}.</translation>
    </message>
    <message>
        <source>Close the day?</source>
        <translation>Fechar o dia?</translation>
    </message>
    <message>
        <source>The day was not closed; no Z report was issued.</source>
        <translation>O dia não foi fechado; nenhum relatório Z foi emitido.</translation>
    </message>
    <message>
        <source>close the day (Z report)</source>
        <translation>fechar o dia (relatório Z)</translation>
    </message>
    <message>
        <source>Issue Z report No. {n} for {period}?</source>
        <translation>Emitir o relatório Z n.º {n} de {period}?</translation>
    </message>
    <message numerus="yes">
        <source>%n sales, {amount}; net {net}.</source>
        <translation>
            <numerusform>%n venda, {amount}; líquido {net}.</numerusform>
            <numerusform>%n vendas, {amount}; líquido {net}.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Warning: %n offline sales ({amount}) still waiting for the server; they count in the Z of the day they are synced.</source>
        <translation>
            <numerusform>Atenção: %n venda sem ligação ({amount}) ainda à espera do servidor; conta no Z do dia em que for sincronizada.</numerusform>
            <numerusform>Atenção: %n vendas sem ligação ({amount}) ainda à espera do servidor; contam no Z do dia em que forem sincronizadas.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Warning: %n sales needing a supervisor&apos;s attention.</source>
        <translation>
            <numerusform>Atenção: %n venda precisa da atenção de um supervisor.</numerusform>
            <numerusform>Atenção: %n vendas precisam da atenção de um supervisor.</numerusform>
        </translation>
    </message>
    <message>
        <source>Warning: nothing happened since Z report No. {n} ({when}).</source>
        <translation>Atenção: não houve movimento desde o relatório Z n.º {n} ({when}).</translation>
    </message>
    <message>
        <source>Warning: nothing was sold in this period.</source>
        <translation>Atenção: nada foi vendido neste período.</translation>
    </message>
    <message>
        <source>A Z report cannot be changed or taken back once issued.</source>
        <translation>Depois de emitido, um relatório Z não pode ser alterado nem anulado.</translation>
    </message>
    <message>
        <source>Z report No. {n} issued and printed.</source>
        <translation>Relatório Z n.º {n} emitido e impresso.</translation>
    </message>
    <message>
        <source>Not reconciled with the server yet ({problem}); use Upload later.</source>
        <translation>Ainda não conciliado com o servidor ({problem}); use Enviar mais tarde.</translation>
    </message>
    <message>
        <source>The server&apos;s totals match.</source>
        <translation>Os totais do servidor coincidem.</translation>
    </message>
    <message>
        <source>Differences with the server (terminal − server): {d}</source>
        <translation>Diferenças com o servidor (terminal − servidor): {d}</translation>
    </message>
    <message>
        <source>Choose a Z report in the list.</source>
        <translation>Escolha um relatório Z na lista.</translation>
    </message>
    <message>
        <source>Z report No. {n} reprinted (reprint {k}).</source>
        <translation>Relatório Z n.º {n} reimpresso (reimpressão {k}).</translation>
    </message>
    <message>
        <source>Z {n}: </source>
        <translation>Z {n}: </translation>
    </message>
</context>
<context>
    <name>ReprintDialog</name>
    <message>
        <source>Reprint or reverse a sale</source>
        <translation>Reimprimir ou anular uma venda</translation>
    </message>
    <message>
        <source>Meter or receipt number, then Enter. ↓ to the list; Enter or F8 reprints, F7 asks for a reversal (supervisor). Esc or Ctrl+F goes back to the search.</source>
        <translation>Número do contador ou do recibo e Enter. ↓ para a lista; Enter ou F8 reimprime, F7 pede uma anulação (supervisor). Esc ou Ctrl+F volta à pesquisa.</translation>
    </message>
    <message>
        <source>&amp;Search (Enter)</source>
        <translation>&amp;Procurar (Enter)</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Recibo</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>Contador</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Cliente</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montante</translation>
    </message>
    <message>
        <source>Reprints</source>
        <translation>Reimpressões</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Reprint (F8)</source>
        <translation>Reimprimir (F8)</translation>
    </message>
    <message>
        <source>Request reversal (F7)</source>
        <translation>Pedir anulação (F7)</translation>
    </message>
    <message>
        <source>Type a meter number or a receipt number.</source>
        <translation>Escreva um número de contador ou de recibo.</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>A procurar…</translation>
    </message>
    <message numerus="yes">
        <source>%n sales found</source>
        <translation>
            <numerusform>%n venda encontrada</numerusform>
            <numerusform>%n vendas encontradas</numerusform>
        </translation>
    </message>
    <message>
        <source>No sales found for that number.</source>
        <translation>Nenhuma venda encontrada para esse número.</translation>
    </message>
    <message>
        <source>Search for the sale first, then choose it.</source>
        <translation>Procure primeiro a venda e depois escolha-a.</translation>
    </message>
    <message>
        <source>Reprinting {ref}…</source>
        <translation>A reimprimir {ref}…</translation>
    </message>
    <message>
        <source>Reprint {n} of {ref} recorded; no printer is set up.</source>
        <translation>Reimpressão {n} de {ref} registada; não há impressora configurada.</translation>
    </message>
    <message>
        <source>Reprint {n} of {ref} sent to the printer.</source>
        <translation>Reimpressão {n} de {ref} enviada para a impressora.</translation>
    </message>
    <message>
        <source>reprint beyond the reprint policy</source>
        <translation>reimpressão além do limite permitido</translation>
    </message>
    <message>
        <source>Reprint cancelled.</source>
        <translation>Reimpressão cancelada.</translation>
    </message>
    <message>
        <source>Reversal: {why}</source>
        <translation>Anulação: {why}</translation>
    </message>
    <message>
        <source>Receipt {ref} was already reversed.</source>
        <translation>O recibo {ref} já foi anulado.</translation>
    </message>
    <message>
        <source>A pending sale cannot be reversed until its token has arrived.</source>
        <translation>Uma venda pendente só pode ser anulada depois de o código chegar.</translation>
    </message>
    <message>
        <source>Nothing was sold on this sale ({state}): there is nothing to reverse.</source>
        <translation>Nada foi vendido nesta venda ({state}): não há nada a anular.</translation>
    </message>
    <message>
        <source>reverse receipt {ref}</source>
        <translation>anular o recibo {ref}</translation>
    </message>
    <message>
        <source>Reversal cancelled.</source>
        <translation>Anulação cancelada.</translation>
    </message>
    <message>
        <source>Requesting reversal of {ref}…</source>
        <translation>A pedir a anulação de {ref}…</translation>
    </message>
    <message>
        <source>Receipt {ref} reversed ({number}).</source>
        <translation>Recibo {ref} anulado ({number}).</translation>
    </message>
    <message>
        <source>Receipt {ref} was already reversed ({number}).</source>
        <translation>O recibo {ref} já tinha sido anulado ({number}).</translation>
    </message>
</context>
<context>
    <name>ReversalDialog</name>
    <message>
        <source>Reverse this sale?</source>
        <translation>Anular esta venda?</translation>
    </message>
    <message>
        <source>Receipt {ref}
Meter {meter} · {customer}
{amount} · {units}
Sold {when}

The customer gets the money back and the tokens become void.</source>
        <translation>Recibo {ref}
Contador {meter} · {customer}
{amount} · {units}
Vendido em {when}

O cliente recebe o dinheiro de volta e os códigos ficam sem efeito.</translation>
    </message>
    <message>
        <source>Reason (required):</source>
        <translation>Motivo (obrigatório):</translation>
    </message>
    <message>
        <source>Reverse</source>
        <translation>Anular</translation>
    </message>
</context>
<context>
    <name>SaleController</name>
    <message>
        <source>Operator: {name}</source>
        <translation>Operador: {name}</translation>
    </message>
    <message>
        <source>Looking up meter {meter}…</source>
        <translation>A procurar o contador {meter}…</translation>
    </message>
    <message>
        <source>Selling…</source>
        <translation>A vender…</translation>
    </message>
</context>
<context>
    <name>SaleFlow</name>
    <message>
        <source>Selling…</source>
        <translation>A vender…</translation>
    </message>
    <message>
        <source>Ask again (Enter / F12)</source>
        <translation>Pedir de novo (Enter / F12)</translation>
    </message>
    <message>
        <source>Confirm (Enter)</source>
        <translation>Confirmar (Enter)</translation>
    </message>
    <message>
        <source>Sell (Enter / F12)</source>
        <translation>Vender (Enter / F12)</translation>
    </message>
    <message>
        <source>The quote and its breakdown appear here.</source>
        <translation>A cotação e o seu detalhe aparecem aqui.</translation>
    </message>
    <message>
        <source>Check the number on the meter or card.</source>
        <translation>Confira o número no contador ou no cartão.</translation>
    </message>
    <message>
        <source>Getting the quote…</source>
        <translation>A obter a cotação…</translation>
    </message>
    <message>
        <source>Sale by units is not offered by this vending server.</source>
        <translation>A venda por unidades não está disponível neste servidor de vendas.</translation>
    </message>
    <message>
        <source>Type the amount of money instead.</source>
        <translation>Escreva antes o montante em dinheiro.</translation>
    </message>
    <message>
        <source>A sale by units needs the server: only it knows what the units cost. {reason}</source>
        <translation>Uma venda por unidades precisa do servidor: só ele sabe quanto custam as unidades. {reason}</translation>
    </message>
    <message>
        <source>Press F7 and sell by amount (it goes pending), or wait.</source>
        <translation>Prima F7 e venda por montante (fica pendente), ou espere.</translation>
    </message>
    <message>
        <source>not a number</source>
        <translation>não é um número</translation>
    </message>
    <message>
        <source>Change: -</source>
        <translation>Troco: -</translation>
    </message>
    <message>
        <source>Short by {money}</source>
        <translation>Faltam {money}</translation>
    </message>
    <message>
        <source>Change: {money}</source>
        <translation>Troco: {money}</translation>
    </message>
    <message>
        <source>Sign in before selling.</source>
        <translation>Inicie sessão antes de vender.</translation>
    </message>
    <message>
        <source>The cash tendered is {money} short of the amount.</source>
        <translation>O valor entregue fica {money} abaixo do montante.</translation>
    </message>
    <message>
        <source>Take the full amount or lower it.</source>
        <translation>Receba o montante completo ou reduza-o.</translation>
    </message>
    <message>
        <source>A new tariff is in force and the new price cannot be fetched now.</source>
        <translation>Está em vigor uma nova tarifa e o novo preço não pode ser obtido agora.</translation>
    </message>
    <message>
        <source>Type the units as a number with at most one decimal, such as 50 or 50{sep}5.</source>
        <translation>Escreva as unidades como número com no máximo uma casa decimal, por exemplo 50 ou 50{sep}5.</translation>
    </message>
    <message>
        <source>The units must be more than zero.</source>
        <translation>As unidades têm de ser mais do que zero.</translation>
    </message>
</context>
<context>
    <name>SaleState</name>
    <message>
        <source>tokened</source>
        <translation>código emitido</translation>
    </message>
    <message>
        <source>PENDING (no token yet)</source>
        <translation>PENDENTE (ainda sem código)</translation>
    </message>
    <message>
        <source>sending (not sold yet)</source>
        <translation>a enviar (ainda não vendida)</translation>
    </message>
    <message>
        <source>NOT COMPLETE (being checked)</source>
        <translation>INCOMPLETA (em verificação)</translation>
    </message>
    <message>
        <source>NEEDS ATTENTION (supervisor)</source>
        <translation>A VERIFICAR (supervisor)</translation>
    </message>
    <message>
        <source>REJECTED (nothing sold: refund)</source>
        <translation>RECUSADA (nada vendido: reembolsar)</translation>
    </message>
    <message>
        <source>NOT SOLD (void)</source>
        <translation>NÃO VENDIDA (sem efeito)</translation>
    </message>
    <message>
        <source>reversed</source>
        <translation>anulada</translation>
    </message>
    <message>
        <source>state unknown (ask a supervisor)</source>
        <translation>estado desconhecido (pergunte a um supervisor)</translation>
    </message>
    <message>
        <source>{state}: {reason}</source>
        <translation>{state}: {reason}</translation>
    </message>
</context>
<context>
    <name>SaleView</name>
    <message>
        <source>&amp;Meter number</source>
        <translation>Número do &amp;contador</translation>
    </message>
    <message>
        <source>type or scan, then Enter</source>
        <translation>escreva ou leia e prima Enter</translation>
    </message>
    <message>
        <source>Search (F3)</source>
        <translation>Procurar (F3)</translation>
    </message>
    <message>
        <source>&amp;Amount</source>
        <translation>&amp;Montante</translation>
    </message>
    <message>
        <source>e.g. 100</source>
        <translation>ex.: 100</translation>
    </message>
    <message>
        <source>&amp;Tendered</source>
        <translation>&amp;Valor entregue</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>opcional</translation>
    </message>
    <message>
        <source>Quote (F5)</source>
        <translation>Cotação (F5)</translation>
    </message>
    <message>
        <source>Sell (Enter / F12)</source>
        <translation>Vender (Enter / F12)</translation>
    </message>
    <message>
        <source>Next customer (F2)</source>
        <translation>Próximo cliente (F2)</translation>
    </message>
    <message>
        <source>&amp;Units ({unit})</source>
        <translation>&amp;Unidades ({unit})</translation>
    </message>
    <message>
        <source>e.g. 50</source>
        <translation>ex.: 50</translation>
    </message>
</context>
<context>
    <name>SalesListDialog</name>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Referência</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>Contador</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Cliente</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Montante</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Unidades</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operador</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>A carregar…</translation>
    </message>
    <message numerus="yes">
        <source>%n sales, total {money}</source>
        <translation>
            <numerusform>%n venda, total {money}</numerusform>
            <numerusform>%n vendas, total {money}</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SearchDialog</name>
    <message>
        <source>Find a customer</source>
        <translation>Procurar um cliente</translation>
    </message>
    <message>
        <source>Type part of the name, account number, address or meter number, then Enter. Use ↓ to move to the results and Enter to choose; Esc or Ctrl+F goes back to the search.</source>
        <translation>Escreva parte do nome, número de conta, morada ou número do contador e prima Enter. Use ↓ para passar aos resultados e Enter para escolher; Esc ou Ctrl+F volta à pesquisa.</translation>
    </message>
    <message>
        <source>&amp;Search (Enter)</source>
        <translation>&amp;Procurar (Enter)</translation>
    </message>
    <message>
        <source>Meter</source>
        <translation>Contador</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Cliente</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Conta</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Morada</translation>
    </message>
    <message>
        <source>Demo meters are listed as examples.</source>
        <translation>Os contadores de demonstração aparecem como exemplos.</translation>
    </message>
    <message>
        <source>Type at least 2 characters to search.</source>
        <translation>Escreva pelo menos 2 caracteres para procurar.</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>A procurar…</translation>
    </message>
    <message numerus="yes">
        <source>%n found</source>
        <translation>
            <numerusform>%n encontrado</numerusform>
            <numerusform>%n encontrados</numerusform>
        </translation>
    </message>
    <message>
        <source>{name} (BLOCKED)</source>
        <translation>{name} (BLOQUEADO)</translation>
    </message>
    <message>
        <source>Nothing found: try fewer letters.</source>
        <translation>Nada encontrado: tente com menos letras.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Definições</translation>
    </message>
    <message>
        <source>Server and terminal</source>
        <translation>Servidor e terminal</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>URL do servidor</translation>
    </message>
    <message>
        <source>Terminal</source>
        <translation>Terminal</translation>
    </message>
    <message>
        <source>one-time activation code</source>
        <translation>código de activação de uso único</translation>
    </message>
    <message>
        <source>Counter 1</source>
        <translation>Balcão 1</translation>
    </message>
    <message>
        <source>Activate</source>
        <translation>Activar</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>Activação</translation>
    </message>
    <message>
        <source>Receipt printer</source>
        <translation>Impressora de recibos</translation>
    </message>
    <message>
        <source>e.g. 192.168.1.50:9100</source>
        <translation>ex.: 192.168.1.50:9100</translation>
    </message>
    <message>
        <source>{n} characters</source>
        <translation>{n} caracteres</translation>
    </message>
    <message>
        <source>default, or e.g. TM-T20II</source>
        <translation>predefinido, ou ex.: TM-T20II</translation>
    </message>
    <message>
        <source>Test print</source>
        <translation>Imprimir teste</translation>
    </message>
    <message>
        <source>Find printers</source>
        <translation>Procurar impressoras</translation>
    </message>
    <message>
        <source>Find printers to list the ones this PC sees</source>
        <translation>Use Procurar impressoras para listar as que este PC vê</translation>
    </message>
    <message>
        <source>automatic, or e.g. CP858 for French and Portuguese</source>
        <translation>automático, ou ex.: CP858 para francês e português</translation>
    </message>
    <message>
        <source>Print a QR code of the meter and tokens</source>
        <translation>Imprimir um código QR do contador e dos códigos</translation>
    </message>
    <message>
        <source>image file, or empty for none</source>
        <translation>ficheiro de imagem, ou vazio para nenhum</translation>
    </message>
    <message>
        <source>none</source>
        <translation>nenhuma</translation>
    </message>
    <message>
        <source>network</source>
        <translation>rede</translation>
    </message>
    <message>
        <source>usb</source>
        <translation>USB</translation>
    </message>
    <message>
        <source>serial</source>
        <translation>série</translation>
    </message>
    <message>
        <source>file</source>
        <translation>ficheiro</translation>
    </message>
    <message>
        <source>cups</source>
        <translation>CUPS</translation>
    </message>
    <message>
        <source>windows</source>
        <translation>Windows</translation>
    </message>
    <message>
        <source>on pin 2</source>
        <translation>no pino 2</translation>
    </message>
    <message>
        <source>on pin 5</source>
        <translation>no pino 5</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>pulse</source>
        <translation>impulso</translation>
    </message>
    <message>
        <source>Printers found</source>
        <translation>Impressoras encontradas</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Ligação</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Endereço</translation>
    </message>
    <message>
        <source>Paper width</source>
        <translation>Largura do papel</translation>
    </message>
    <message>
        <source>Printer profile</source>
        <translation>Perfil da impressora</translation>
    </message>
    <message>
        <source>Code page</source>
        <translation>Página de código</translation>
    </message>
    <message>
        <source>Logo</source>
        <translation>Logótipo</translation>
    </message>
    <message>
        <source>Cash drawer</source>
        <translation>Gaveta de dinheiro</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Geral</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Língua</translation>
    </message>
    <message>
        <source>Same as the terminal</source>
        <translation>A mesma do terminal</translation>
    </message>
    <message>
        <source>Receipts in</source>
        <translation>Recibos em</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Lock the till after</source>
        <translation>Bloquear a caixa após</translation>
    </message>
    <message>
        <source>Quick amounts</source>
        <translation>Montantes rápidos</translation>
    </message>
    <message>
        <source>Server and printer changes take effect when VendPoint starts again; the idle lock changes at once.</source>
        <translation>As alterações do servidor e da impressora aplicam-se quando o VendPoint voltar a arrancar; o bloqueio por inactividade muda de imediato.</translation>
    </message>
    <message>
        <source>activation not available</source>
        <translation>activação indisponível</translation>
    </message>
    <message>
        <source>activated</source>
        <translation>activado</translation>
    </message>
    <message>
        <source>NOT activated: enter the code</source>
        <translation>NÃO activado: introduza o código</translation>
    </message>
    <message>
        <source>Type the activation code from the utility.</source>
        <translation>Escreva o código de activação fornecido pela distribuidora.</translation>
    </message>
    <message>
        <source>Type the server URL first (it starts with https://).</source>
        <translation>Escreva primeiro o URL do servidor (começa por https://).</translation>
    </message>
    <message>
        <source>Activating…</source>
        <translation>A activar…</translation>
    </message>
    <message>
        <source>Terminal activated as {id}.</source>
        <translation>Terminal activado como {id}.</translation>
    </message>
    <message>
        <source>activated ({id})</source>
        <translation>activado ({id})</translation>
    </message>
    <message>
        <source>Sending a test slip…</source>
        <translation>A enviar um talão de teste…</translation>
    </message>
    <message>
        <source>Test slip sent to the printer.</source>
        <translation>Talão de teste enviado para a impressora.</translation>
    </message>
    <message>
        <source>The test print failed.</source>
        <translation>A impressão de teste falhou.</translation>
    </message>
    <message>
        <source>Looking for printers…</source>
        <translation>A procurar impressoras…</translation>
    </message>
    <message>
        <source>{n} found: choose one</source>
        <translation>Encontradas: {n}; escolha uma</translation>
    </message>
    <message>
        <source>Choose a printer from the list, then Test print.</source>
        <translation>Escolha uma impressora da lista e depois Imprimir teste.</translation>
    </message>
    <message>
        <source>no printer found</source>
        <translation>nenhuma impressora encontrada</translation>
    </message>
    <message>
        <source>No printer found; type the address (a network printer&apos;s IP).</source>
        <translation>Nenhuma impressora encontrada; escreva o endereço (o IP de uma impressora de rede).</translation>
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
        <translation>Vendas pendentes (ainda sem código)</translation>
    </message>
    <message>
        <source>Today&apos;s sales</source>
        <translation>Vendas de hoje</translation>
    </message>
    <message>
        <source>change the till&apos;s settings</source>
        <translation>alterar as definições da caixa</translation>
    </message>
    <message>
        <source>Customer search: {why}</source>
        <translation>Pesquisa de clientes: {why}</translation>
    </message>
    <message>
        <source>Sale {ref} did not go through: nothing was sold.</source>
        <translation>A venda {ref} não se concretizou: nada foi vendido.</translation>
    </message>
    <message>
        <source>Sale {receipt} was sold at a different price than quoted: {summary}</source>
        <translation>A venda {receipt} foi feita a um preço diferente do da cotação: {summary}</translation>
    </message>
    <message>
        <source>it needs a supervisor&apos;s decision</source>
        <translation>precisa da decisão de um supervisor</translation>
    </message>
    <message>
        <source>ATTENTION: sale {ref} (meter {meter}): {reason} Tell a supervisor.</source>
        <translation>ATENÇÃO: venda {ref} (contador {meter}): {reason} Avise um supervisor.</translation>
    </message>
    <message>
        <source>Signed tariffs: {why}</source>
        <translation>Tarifas assinadas: {why}</translation>
    </message>
    <message>
        <source>Token arrived for pending sale {ref} (meter {meter}, {name}): receipt {receipt} is printing. Give it to the customer.</source>
        <translation>Chegou o código da venda pendente {ref} (contador {meter}, {name}): o recibo {receipt} está a ser impresso. Entregue-o ao cliente.</translation>
    </message>
    <message>
        <source>Token arrived for pending sale {ref} (meter {meter}, {name}): receipt {receipt} could not print: press F8 to reprint. Give it to the customer.</source>
        <translation>Chegou o código da venda pendente {ref} (contador {meter}, {name}): o recibo {receipt} não foi impresso: prima F8 para o reimprimir. Entregue-o ao cliente.</translation>
    </message>
</context>
<context>
    <name>ShiftView</name>
    <message>
        <source>Open a shift</source>
        <translation>Abrir um turno</translation>
    </message>
    <message>
        <source>type the float you counted</source>
        <translation>escreva o fundo de caixa contado</translation>
    </message>
    <message>
        <source>Open shift</source>
        <translation>Abrir turno</translation>
    </message>
    <message>
        <source>Counted float</source>
        <translation>Fundo de caixa contado</translation>
    </message>
    <message>
        <source>Cash drop</source>
        <translation>Depósito no cofre</translation>
    </message>
    <message>
        <source>amount</source>
        <translation>montante</translation>
    </message>
    <message>
        <source>note (bag number)</source>
        <translation>nota (número do saco)</translation>
    </message>
    <message>
        <source>Record drop</source>
        <translation>Registar depósito</translation>
    </message>
    <message>
        <source>Close the shift</source>
        <translation>Fechar o turno</translation>
    </message>
    <message>
        <source>Note / coin</source>
        <translation>Nota / moeda</translation>
    </message>
    <message>
        <source>How many</source>
        <translation>Quantidade</translation>
    </message>
    <message>
        <source>counted total</source>
        <translation>total contado</translation>
    </message>
    <message>
        <source>Close shift</source>
        <translation>Fechar turno</translation>
    </message>
    <message>
        <source>Counted cash</source>
        <translation>Dinheiro contado</translation>
    </message>
    <message>
        <source>Reprint the last shift report</source>
        <translation>Reimprimir o último relatório de turno</translation>
    </message>
    <message>
        <source>No shift is open.</source>
        <translation>Não há nenhum turno aberto.</translation>
    </message>
    <message>
        <source>Shift {id} open since {at}, float {float}.</source>
        <translation>Turno {id} aberto desde {at}, fundo de caixa {float}.</translation>
    </message>
    <message>
        <source>Count the drawer; the expected amount is shown when the shift is closed.</source>
        <translation>Conte a gaveta; o montante esperado aparece quando o turno for fechado.</translation>
    </message>
    <message>
        <source>Cash sales {sales} ({n}), refunds {refunds}, drops {drops}: the drawer should hold {expected}.</source>
        <translation>Vendas em dinheiro {sales} ({n}), reembolsos {refunds}, depósitos no cofre {drops}: a gaveta deve ter {expected}.</translation>
    </message>
    <message>
        <source>Type the float you counted into the drawer (0 if there is none), then Enter.</source>
        <translation>Escreva o fundo de caixa que contou na gaveta (0 se não houver) e prima Enter.</translation>
    </message>
    <message>
        <source>no counted cash</source>
        <translation>sem dinheiro contado</translation>
    </message>
    <message>
        <source>over</source>
        <translation>sobra</translation>
    </message>
    <message>
        <source>short</source>
        <translation>falta</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>diferença</translation>
    </message>
    <message>
        <source>Counted {counted}, expected {expected}: {word} {diff}.</source>
        <translation>Contado {counted}, esperado {expected}: {word} {diff}.</translation>
    </message>
    <message>
        <source>Counted {counted}. The expected amount and the difference are shown once the shift is closed.</source>
        <translation>Contado {counted}. O montante esperado e a diferença aparecem depois de o turno ser fechado.</translation>
    </message>
    <message>
        <source>Close the shift now? {figures}</source>
        <translation>Fechar o turno agora? {figures}</translation>
    </message>
    <message>
        <source>Shift report reprinted (reprint {n}).</source>
        <translation>Relatório de turno reimpresso (reimpressão {n}).</translation>
    </message>
    <message>
        <source>Shift closed. Expected {expected}, counted {counted}: {word} {diff}. The shift report was sent to the printer.</source>
        <translation>Turno fechado. Esperado {expected}, contado {counted}: {word} {diff}. O relatório de turno foi enviado para a impressora.</translation>
    </message>
</context>
<context>
    <name>StartupScreen</name>
    <message>
        <source>Starting VendPoint…</source>
        <translation>A iniciar o VendPoint…</translation>
    </message>
    <message>
        <source>Try again (F5)</source>
        <translation>Tentar de novo (F5)</translation>
    </message>
    <message>
        <source>Settings (F11)</source>
        <translation>Definições (F11)</translation>
    </message>
    <message>
        <source>No keyring? Use a passphrase…</source>
        <translation>Sem porta-chaves? Usar uma frase de acesso…</translation>
    </message>
</context>
<context>
    <name>StatusBarController</name>
    <message>
        <source>● Status unknown</source>
        <translation>● Estado desconhecido</translation>
    </message>
</context>
<context>
    <name>StatusBarView</name>
    <message>
        <source>Not signed in</source>
        <translation>Sem sessão iniciada</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>A ligar…</translation>
    </message>
    <message>
        <source>● Online</source>
        <translation>● Ligado</translation>
    </message>
    <message>
        <source>server not reachable</source>
        <translation>servidor inacessível</translation>
    </message>
    <message>
        <source>● OFFLINE: {reason}</source>
        <translation>● SEM LIGAÇÃO: {reason}</translation>
    </message>
    <message>
        <source>Pending: {count} ({value})</source>
        <translation>Pendentes: {count} ({value})</translation>
    </message>
    <message>
        <source>, {n} need attention</source>
        <translation>, {n} a verificar</translation>
    </message>
    <message>
        <source>Pending: 0</source>
        <translation>Pendentes: 0</translation>
    </message>
    <message>
        <source>Last sync: never</source>
        <translation>Última sinc.: nunca</translation>
    </message>
    <message>
        <source>Last sync: {time}</source>
        <translation>Última sinc.: {time}</translation>
    </message>
    <message>
        <source>Printer: {state}</source>
        <translation>Impressora: {state}</translation>
    </message>
    <message>
        <source>not set up</source>
        <translation>não configurada</translation>
    </message>
    <message>
        <source>Credit: -</source>
        <translation>Saldo: -</translation>
    </message>
    <message>
        <source>Credit: {money}</source>
        <translation>Saldo: {money}</translation>
    </message>
    <message>
        <source>Tariff: {version}</source>
        <translation>Tarifa: {version}</translation>
    </message>
    <message>
        <source>⚠ Clock is {minutes} min {direction} the server: fix the PC&apos;s date and time</source>
        <translation>⚠ Relógio {direction} {minutes} min em relação ao servidor: corrija a data e a hora do PC</translation>
    </message>
    <message>
        <source>ahead of</source>
        <translation>adiantado</translation>
    </message>
    <message>
        <source>behind</source>
        <translation>atrasado</translation>
    </message>
    <message>
        <source>{names} and {n} more</source>
        <translation>{names} e mais {n}</translation>
    </message>
    <message>
        <source>Not offered by this server: {names}</source>
        <translation>Não disponível neste servidor: {names}</translation>
    </message>
    <message>
        <source>Not offered by this server, so disabled on this till: {names}.</source>
        <translation>Não disponível neste servidor, por isso desactivado nesta caixa: {names}.</translation>
    </message>
    <message>
        <source>Operator: {name} ({role})</source>
        <translation>Operador: {name} ({role})</translation>
    </message>
</context>
<context>
    <name>SupervisorConsole</name>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Turno</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Relatórios</translation>
    </message>
    <message>
        <source>Engineering tokens</source>
        <translation>Códigos técnicos</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>A verificar</translation>
    </message>
    <message>
        <source>Journal</source>
        <translation>Diário</translation>
    </message>
</context>
<context>
    <name>SupervisorDialog</name>
    <message>
        <source>Supervisor approval</source>
        <translation>Aprovação do supervisor</translation>
    </message>
    <message>
        <source>A supervisor must approve: {action}</source>
        <translation>Um supervisor tem de aprovar: {action}</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Type the supervisor&apos;s username and PIN.</source>
        <translation>Escreva o utilizador e o PIN do supervisor.</translation>
    </message>
</context>
<context>
    <name>SupervisorMenu</name>
    <message>
        <source>&amp;Supervisor</source>
        <translation>&amp;Supervisor</translation>
    </message>
    <message>
        <source>&amp;Shift (open, drop, close)</source>
        <translation>&amp;Turno (abrir, depósito, fechar)</translation>
    </message>
    <message>
        <source>&amp;Reports, X and Z</source>
        <translation>&amp;Relatórios, X e Z</translation>
    </message>
    <message>
        <source>&amp;Engineering tokens</source>
        <translation>&amp;Códigos técnicos</translation>
    </message>
    <message>
        <source>&amp;Needs attention</source>
        <translation>&amp;A verificar</translation>
    </message>
    <message>
        <source>&amp;Journal</source>
        <translation>&amp;Diário</translation>
    </message>
</context>
<context>
    <name>TariffBanner</name>
    <message>
        <source>it was not signed</source>
        <translation>não estava assinada</translation>
    </message>
    <message>
        <source>it was signed with an unknown key</source>
        <translation>estava assinada com uma chave desconhecida</translation>
    </message>
    <message>
        <source>its signature is not valid</source>
        <translation>a assinatura não é válida</translation>
    </message>
    <message>
        <source>it was older than the tariff in use</source>
        <translation>era mais antiga do que a tarifa em vigor</translation>
    </message>
    <message>
        <source>it contradicts the tariff in use</source>
        <translation>contradiz a tarifa em vigor</translation>
    </message>
    <message>
        <source>it was a copy of an earlier update</source>
        <translation>era uma cópia de uma actualização anterior</translation>
    </message>
    <message>
        <source>it had expired</source>
        <translation>tinha expirado</translation>
    </message>
    <message>
        <source>Tariff</source>
        <translation>Tarifa</translation>
    </message>
    <message>
        <source>{name} updated to version {version}, effective now</source>
        <translation>{name} actualizada para a versão {version}, em vigor agora</translation>
    </message>
    <message>
        <source>{name} updated to version {version}, effective {when}</source>
        <translation>{name} actualizada para a versão {version}, em vigor a {when}</translation>
    </message>
    <message>
        <source>{name} version {version} is now in force</source>
        <translation>{name} versão {version} está agora em vigor</translation>
    </message>
    <message>
        <source>it failed the checks</source>
        <translation>falhou as verificações</translation>
    </message>
    <message>
        <source>A tariff update ({tariff} version {version}) was refused: {why}. The tariff in use is unchanged; tell your supervisor if this repeats.</source>
        <translation>Uma actualização de tarifa ({tariff} versão {version}) foi recusada: {why}. A tarifa em vigor não mudou; avise o seu supervisor se isto se repetir.</translation>
    </message>
    <message>
        <source>Meter {meter} accepted the token of receipt {receipt}: balance {balance} {unit}</source>
        <translation>O contador {meter} aceitou o código do recibo {receipt}: saldo {balance} {unit}</translation>
    </message>
    <message>
        <source>Meter {meter} did NOT accept the token of receipt {receipt}: ask the customer to enter it by hand</source>
        <translation>O contador {meter} NÃO aceitou o código do recibo {receipt}: peça ao cliente para o introduzir à mão</translation>
    </message>
    <message>
        <source>View tariffs</source>
        <translation>Ver tarifas</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Fechar</translation>
    </message>
    <message>
        <source>Tariff news</source>
        <translation>Novidades de tarifas</translation>
    </message>
</context>
<context>
    <name>TariffViewer</name>
    <message>
        <source>Tariffs</source>
        <translation>Tarifas</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Versão</translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation>Em vigor desde</translation>
    </message>
    <message>
        <source>Expires</source>
        <translation>Expira</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Signed with key</source>
        <translation>Assinada com a chave</translation>
    </message>
    <message>
        <source>From (kWh)</source>
        <translation>De (kWh)</translation>
    </message>
    <message>
        <source>To (kWh)</source>
        <translation>Até (kWh)</translation>
    </message>
    <message>
        <source>Rate per unit</source>
        <translation>Preço por unidade</translation>
    </message>
    <message>
        <source>Charge</source>
        <translation>Encargo</translation>
    </message>
    <message>
        <source>Per month</source>
        <translation>Por mês</translation>
    </message>
    <message>
        <source>Version history</source>
        <translation>Histórico de versões</translation>
    </message>
    <message>
        <source>Energy blocks</source>
        <translation>Escalões de energia</translation>
    </message>
    <message>
        <source>Fixed charges</source>
        <translation>Encargos fixos</translation>
    </message>
    <message>
        <source>{name} ({tariff})</source>
        <translation>{name} ({tariff})</translation>
    </message>
    <message>
        <source>{name} ({tariff})
version {version}</source>
        <translation>{name} ({tariff})
versão {version}</translation>
    </message>
    <message>
        <source>{when}  {tariff} v{version}: {reason}</source>
        <translation>{when}  {tariff} v{version}: {reason}</translation>
    </message>
    <message>
        <source>Refused updates (the tariff in use was kept):
{lines}</source>
        <translation>Actualizações recusadas (manteve-se a tarifa em uso):
{lines}</translation>
    </message>
    <message>
        <source>{currency} {rate} / {unit} ({vat})</source>
        <translation>{currency} {rate} / {unit} ({vat})</translation>
    </message>
    <message>
        <source>VAT {rate}% (prices include VAT).</source>
        <translation>IVA {rate}% (preços com IVA incluído).</translation>
    </message>
    <message>
        <source>VAT {rate}% (added to prices).</source>
        <translation>IVA {rate}% (acrescido aos preços).</translation>
    </message>
    <message>
        <source>{vat} Debt recovery {debt}% of each purchase, at least {minimum}. Free basic {service}: {units} {unit} a month.</source>
        <translation>{vat} Recuperação de dívida: {debt}% de cada compra, no mínimo {minimum}. Quota básica gratuita de {service}: {units} {unit} por mês.</translation>
    </message>
    <message>
        <source>No refused updates.</source>
        <translation>Nenhuma actualização recusada.</translation>
    </message>
    <message>
        <source>No tariff has been received yet.</source>
        <translation>Ainda não foi recebida nenhuma tarifa.</translation>
    </message>
    <message>
        <source>{name} ({tariff}), version {version}: {status}. Effective {start}, expires {end}; signed with key {key}.</source>
        <translation>{name} ({tariff}), versão {version}: {status}. Em vigor a partir de {start}, expira em {end}; assinada com a chave {key}.</translation>
    </message>
    <message>
        <source>incl. VAT</source>
        <translation>c/ IVA</translation>
    </message>
    <message>
        <source>excl. VAT</source>
        <translation>s/ IVA</translation>
    </message>
</context>
<context>
    <name>TokenPanel</name>
    <message>
        <source>Delivered into the smart meter: the customer does not need to enter these tokens (they are on the receipt).</source>
        <translation>Entregue no contador inteligente: o cliente não precisa de introduzir estes códigos (estão no recibo).</translation>
    </message>
    <message>
        <source>Delivered into the smart meter: it accepted the token. Meter balance now {balance} {unit}.</source>
        <translation>Entregue no contador inteligente: o contador aceitou o código. Saldo do contador agora: {balance} {unit}.</translation>
    </message>
    <message>
        <source>The smart meter did NOT accept the token: the customer must enter it by hand.</source>
        <translation>O contador inteligente NÃO aceitou o código: o cliente tem de o introduzir à mão.</translation>
    </message>
    <message>
        <source>Sold at a different price than quoted: {summary} The tokens and the receipt show what was sold; tell the customer.</source>
        <translation>Vendido a um preço diferente do da cotação: {summary} Os códigos e o recibo mostram o que foi vendido; informe o cliente.</translation>
    </message>
    <message>
        <source>NOT COMPLETE: no usable answer for sale {ref}.
Do not hand over anything and do not sell again. Enter asks the server about this same sale; Esc leaves it to VendPoint, which keeps checking and shows the result.</source>
        <translation>INCOMPLETA: nenhuma resposta utilizável para a venda {ref}.
Não entregue nada e não venda de novo. Enter pergunta ao servidor por esta mesma venda; Esc deixa-a ao VendPoint, que continua a verificar e mostra o resultado.</translation>
    </message>
    <message>
        <source>NO TOKEN YET: sale saved as pending {ref}.
The customer gets a pending slip (it is NOT a token). The token prints by itself when the server is back.</source>
        <translation>AINDA SEM CÓDIGO: venda guardada como pendente {ref}.
O cliente recebe um talão de pendente (NÃO é um código). O código é impresso automaticamente quando o servidor voltar.</translation>
    </message>
    <message>
        <source>Receipt {ref}: {units} {unit} for {amount}. Enter the tokens in this order:</source>
        <translation>Recibo {ref}: {units} {unit} por {amount}. Introduza os códigos por esta ordem:</translation>
    </message>
    <message>
        <source>NOT SOLD: the server never received sale {ref}. Nothing was sold; press F2 and sell again if the customer still wants to buy.</source>
        <translation>NÃO VENDIDA: o servidor nunca recebeu a venda {ref}. Nada foi vendido; prima F2 e venda de novo se o cliente ainda quiser comprar.</translation>
    </message>
    <message>
        <source>TOKEN ARRIVED for pending sale {ref}: receipt {receipt} is printing. Give the printed token receipt to the customer; press F8 to reprint it.</source>
        <translation>CHEGOU O CÓDIGO da venda pendente {ref}: o recibo {receipt} está a ser impresso. Entregue ao cliente o recibo impresso com o código; prima F8 para o reimprimir.</translation>
    </message>
    <message>
        <source>Printing the slip…</source>
        <translation>A imprimir o talão…</translation>
    </message>
    <message>
        <source>Slip printed.</source>
        <translation>Talão impresso.</translation>
    </message>
    <message>
        <source>The slip did not print ({detail}). Fix the printer, then press F8 to reprint.</source>
        <translation>O talão não foi impresso ({detail}). Resolva o problema da impressora e prima F8 para reimprimir.</translation>
    </message>
    <message>
        <source>The slip did not print. Fix the printer, then press F8 to reprint.</source>
        <translation>O talão não foi impresso. Resolva o problema da impressora e prima F8 para reimprimir.</translation>
    </message>
    <message>
        <source>No printer is set up: read the tokens out or write them down.</source>
        <translation>Não há impressora configurada: leia os códigos em voz alta ou escreva-os.</translation>
    </message>
</context>
<context>
    <name>keymap</name>
    <message>
        <source>Enter/F12 Sell</source>
        <translation>Enter/F12 Vender</translation>
    </message>
    <message>
        <source>F2 New customer</source>
        <translation>F2 Novo cliente</translation>
    </message>
    <message>
        <source>F3 Search</source>
        <translation>F3 Procurar</translation>
    </message>
    <message>
        <source>F5 Quote</source>
        <translation>F5 Cotação</translation>
    </message>
    <message>
        <source>F7 Units</source>
        <translation>F7 Unidades</translation>
    </message>
    <message>
        <source>F6 Tariffs</source>
        <translation>F6 Tarifas</translation>
    </message>
    <message>
        <source>F8 Reprint</source>
        <translation>F8 Reimprimir</translation>
    </message>
    <message>
        <source>F9 Pending</source>
        <translation>F9 Pendentes</translation>
    </message>
    <message>
        <source>F10 Today</source>
        <translation>F10 Hoje</translation>
    </message>
    <message>
        <source>F11 Settings</source>
        <translation>F11 Definições</translation>
    </message>
    <message>
        <source>Esc Back</source>
        <translation>Esc Voltar</translation>
    </message>
    <message>
        <source>Ctrl+L Lock</source>
        <translation>Ctrl+L Bloquear</translation>
    </message>
</context>
</TS>
