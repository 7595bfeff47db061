<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>AccountDialog</name>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="72"/>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="78"/>
        <source>stored in the keyring — type to replace</source>
        <translation>キーリングに保存済み — 入力すると置き換えます</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="73"/>
        <source>optional</source>
        <translation>任意</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="79"/>
        <source>the secret shown once when the key was made</source>
        <translation>キーを作成したときに一度だけ表示されたシークレット</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="97"/>
        <source>&amp;Label:</source>
        <translation>ラベル(&amp;L):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="97"/>
        <source>Label</source>
        <translation>ラベル</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="98"/>
        <source>&amp;Owner email address:</source>
        <translation>オーナーメールアドレス(&amp;O):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="98"/>
        <source>Owner email address</source>
        <translation>オーナーメールアドレス</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="99"/>
        <source>&amp;Kind:</source>
        <translation>種類(&amp;K):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="99"/>
        <source>Kind of account</source>
        <translation>アカウントの種類</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="100"/>
        <source>Account &amp;SID:</source>
        <translation>Account SID(&amp;S):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="100"/>
        <source>Account SID</source>
        <translation>Account SID</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="101"/>
        <source>API &amp;Key SID:</source>
        <translation>API KeyのSID(&amp;K):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="101"/>
        <source>API Key SID</source>
        <translation>API KeyのSID</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="102"/>
        <source>API key s&amp;ecret:</source>
        <translation>API Keyのシークレット(&amp;E):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="102"/>
        <source>API Key secret</source>
        <translation>API Keyのシークレット</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="103"/>
        <source>Auth &amp;Token:</source>
        <translation>Auth Token(&amp;T):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="103"/>
        <source>Auth Token</source>
        <translation>Auth Token</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="117"/>
        <source>The SID, API Key and Auth Token are saved in the OS keyring (%1), nowhere else.</source>
        <translation>SID、API Key、Auth TokenはOSのキーリング(%1)にだけ保存します。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="119"/>
        <source>No keyring: the SID, API Key and Auth Token are kept only until you quit.</source>
        <translation>キーリングがありません。SID、API Key、Auth Tokenは終了するまでの間だけ保持します。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="162"/>
        <source>Twilio says: %1.</source>
        <translation>Twilioの情報: %1。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="163"/>
        <source>Twilio says: %1. Your choice is used instead.</source>
        <translation>Twilioの情報: %1。ここで選んだ種類を優先して使います。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="126"/>
        <source>Edit account</source>
        <translation>アカウントの編集</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="84"/>
        <source>Give an API Key — recommended: make a Standard key for this in the Console (Account › API keys &amp; tokens) and delete it when you are done — or the Auth Token. Only reading is done; a key is used when both are given.</source>
        <translation>API KeyかAuth Tokenを入力します。おすすめはAPI Keyです。コンソール(Account › API keys &amp; tokens)でこのためだけにStandardキーを作成し、作業が終わったら削除してください。読み取りしか行いません。両方あるときはAPI Keyを使います。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="91"/>
        <source>To read the account from Twilio (optional)</source>
        <translation>Twilioからアカウントを読み取るには(任意)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/account.py" line="126"/>
        <source>Add account</source>
        <translation>アカウントの追加</translation>
    </message>
</context>
<context>
    <name>AccountsPage</name>
    <message>
        <source>Remove “%1”? Its Account SID, Auth Token and API key are deleted from the keyring too, and what was read from Twilio for it.</source>
        <translation>「%1」を削除しますか？キーリングに保存したAccount SID、Auth Token、APIキーと、Twilioから読み取った内容も削除されます。</translation>
    </message>
    <message>
        <source>Remove “%1”? Its Account SID, Auth Token and API key (kept for this session only) are forgotten too, and what was read from Twilio for it.</source>
        <translation>「%1」を削除しますか？このセッションの間だけ保持しているAccount SID、Auth Token、APIキーと、Twilioから読み取った内容も破棄されます。</translation>
    </message>
    <message>
        <source>Undo remove brings it all back until you quit, save a profile or open one.</source>
        <translation>終了するか、プロファイルを保存または開くまでは、「削除を元に戻す」ですべて戻せます。</translation>
    </message>
    <message>
        <source>Reading what the keyring held for it…</source>
        <translation>キーリングに保存されていた内容を読み取っています…</translation>
    </message>
    <message>
        <source>&amp;Undo remove</source>
        <translation>削除を元に戻す(&amp;U)</translation>
    </message>
    <message>
        <source>Brings back “%1” with its SID, tokens, ticks and what was read (Ctrl+Z).</source>
        <translation>「%1」を、SID・トークン・チェックした項目・Twilioから読み取った内容ごと元に戻します(Ctrl+Z)。</translation>
    </message>
    <message>
        <source>Removed “%1”. Undo remove (Ctrl+Z) brings it back until you quit, save a profile or open one.</source>
        <translation>「%1」を削除しました。終了するか、プロファイルを保存または開くまでは「削除を元に戻す」(Ctrl+Z)で戻せます。</translation>
    </message>
    <message>
        <source>Remove account</source>
        <translation>アカウントの削除</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="103"/>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="108"/>
        <source>Accounts</source>
        <translation>アカウント</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="104"/>
        <source>Add each Twilio account (and sub-account) with its owner email address. Consent is given once per owner email address.</source>
        <translation>Twilioアカウント(サブアカウントを含む)を、オーナーメールアドレスとともに追加してください。移管同意は、オーナーメールアドレスごとに一度行います。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="106"/>
        <source>Label</source>
        <translation>ラベル</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="106"/>
        <source>Owner email address</source>
        <translation>オーナーメールアドレス</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="106"/>
        <source>Kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="107"/>
        <source>Account SID</source>
        <translation>Account SID</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="107"/>
        <source>Read with</source>
        <translation>読み取りに使う認証情報</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="107"/>
        <source>Twilio</source>
        <translation>Twilioから読み取り</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="115"/>
        <source>Reads each account with its API Key or Auth Token: its status, sub-accounts, numbers, Bundles and balance. Nothing is changed on Twilio.</source>
        <translation>各アカウントをAPI KeyまたはAuth Tokenで読み取ります(状態、サブアカウント、電話番号、規制情報(Bundle)、残高)。Twilio側は何も変更しません。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="119"/>
        <source>Sa&amp;ve report…</source>
        <translation>レポートを保存(&amp;V)…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="120"/>
        <source>Saves what was read from Twilio as a JSON file (SIDs masked) for a colleague or support.</source>
        <translation>Twilioから読み取った内容を、同僚やサポート向けのJSONファイル(SIDは伏せ字)として保存します。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="162"/>
        <source>Add an account with its Account SID and an API Key or Auth Token first.</source>
        <translation>先に、Account SIDとAPI KeyまたはAuth Tokenのあるアカウントを追加してください。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="166"/>
        <source>Reading from Twilio…</source>
        <translation>Twilioから読み取っています…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="203"/>
        <source>API Key %1</source>
        <translation>API Key %1</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="205"/>
        <source>Auth Token</source>
        <translation>Auth Token</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="207"/>
        <source>as %1</source>
        <translation>%1 のもの</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="211"/>
        <source>Save detection report</source>
        <translation>読み取りレポートを保存</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="212"/>
        <source>JSON files (*.json)</source>
        <translation>JSONファイル (*.json)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="229"/>
        <source>Saved the report of %1 accounts to %2.</source>
        <translation>%1件のアカウントのレポートを %2 に保存しました。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="109"/>
        <source>&amp;Add…</source>
        <translation>追加(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="110"/>
        <source>&amp;Edit…</source>
        <translation>編集(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="111"/>
        <source>&amp;Remove</source>
        <translation>削除(&amp;R)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="112"/>
        <source>&amp;Paste SIDs…</source>
        <translation>SID貼り付け(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="113"/>
        <source>&amp;Import CSV…</source>
        <translation>CSV読み込み(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="114"/>
        <source>Read from &amp;Twilio</source>
        <translation>Twilioから読み取る(&amp;T)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="118"/>
        <source>Stop</source>
        <translation>中止</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="128"/>
        <source>Opening the OS keyring…</source>
        <translation>OSのキーリングを開いています…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="130"/>
        <source>Reading the SIDs and tokens from the keyring…</source>
        <translation>キーリングからSIDとトークンを読み込んでいます…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="132"/>
        <source>Saving to the keyring…</source>
        <translation>キーリングに保存しています…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="150"/>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="374"/>
        <source>Add at least one account to continue.</source>
        <translation>続けるには、アカウントを1つ以上追加してください。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="182"/>
        <source>Read %1 of %2 accounts…</source>
        <translation>%2件中%1件のアカウントを読み取りました…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="239"/>
        <source>%1 (saving…)</source>
        <translation>%1(保存中…)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="242"/>
        <source>%1 (this session only)</source>
        <translation>%1(このセッションのみ)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="323"/>
        <source>Account %1</source>
        <translation>アカウント%1</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="340"/>
        <source>Import accounts from CSV</source>
        <translation>CSVからのアカウント読み込み</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="341"/>
        <source>CSV files (*.csv *.txt);;All files (*)</source>
        <translation>CSVファイル (*.csv *.txt);;すべてのファイル (*)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="354"/>
        <source>Reading %1…</source>
        <translation>%1 を読み込んでいます…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/accounts.py" line="383"/>
        <source>At most %1 accounts in all: %2 more can be added.</source>
        <translation>アカウントは合計%1件までです。追加できるのはあと%2件です。</translation>
    </message>
</context>
<context>
    <name>BillingPage</name>
    <message>
        <location filename="../kwc_desktop/ui/pages/billing.py" line="77"/>
        <source>Invoice payment and high-quality SMS</source>
        <translation>請求書払い・高品質SMS</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/billing.py" line="78"/>
        <source>Twilio needs seven items for each account: the six below, and the account&apos;s Account SID, which the email takes from the account. Type the English fields in plain ASCII letters.</source>
        <translation>アカウントごとに7項目が必要です。下の6項目と、そのアカウントのAccount SID(メールにはアカウントから自動で入ります)です。英文の項目は半角英数字と記号で入力してください。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/billing.py" line="81"/>
        <source>A&amp;ccount:</source>
        <translation>アカウント(&amp;C):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/billing.py" line="82"/>
        <source>Account the email is about</source>
        <translation>メールの対象アカウント</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/billing.py" line="86"/>
        <source>Email draft</source>
        <translation>メールの下書き</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/billing.py" line="87"/>
        <source>Open in &amp;mail app</source>
        <translation>メールアプリで開く(&amp;M)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/billing.py" line="88"/>
        <source>Cop&amp;y to clipboard</source>
        <translation>クリップボードにコピー(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/billing.py" line="89"/>
        <source>Sa&amp;ve as .eml…</source>
        <translation>.emlで保存(&amp;V)…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/billing.py" line="167"/>
        <source>“%1” has no Account SID yet: add it on the Accounts page to complete the email.</source>
        <translation>「%1」のAccount SIDが未登録です。メールを完成させるには、「アカウント」ページで登録してください。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/billing.py" line="193"/>
        <source>Copied. Paste it into a new email.</source>
        <translation>コピーしました。新規メールに貼り付けてください。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/billing.py" line="198"/>
        <source>Save email draft</source>
        <translation>メールの下書きの保存</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/billing.py" line="199"/>
        <source>Email (*.eml)</source>
        <translation>メール (*.eml)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/billing.py" line="210"/>
        <source>Saved %1. Open it in your mail app to send it.</source>
        <translation>%1 を保存しました。メールアプリで開いて送信してください。</translation>
    </message>
</context>
<context>
    <name>BundlesPage</name>
    <message>
        <location filename="../kwc_desktop/ui/pages/bundles.py" line="100"/>
        <source>Existing Bundles stay usable for at least %1 days after the transfer.</source>
        <translation>既存のBundleは、移管後も最低%1日間は利用できます。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/bundles.py" line="103"/>
        <source>A&amp;ccount:</source>
        <translation>アカウント(&amp;C):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/bundles.py" line="104"/>
        <source>Account</source>
        <translation>アカウント</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/bundles.py" line="105"/>
        <source>&amp;Transferred on:</source>
        <translation>移管日(&amp;T):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/bundles.py" line="106"/>
        <source>Date the account was transferred</source>
        <translation>アカウントの移管日</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/bundles.py" line="107"/>
        <source>Bundle SIDs (kept in the keyring; read from Twilio or typed)</source>
        <translation>Bundle SID(キーリングに保存。Twilioから読み取ったもの、または入力したもの)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/bundles.py" line="108"/>
        <source>Bundle SIDs</source>
        <translation>Bundle SIDの一覧</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/bundles.py" line="109"/>
        <source>New Bundle SID</source>
        <translation>追加するBundle SID</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/bundles.py" line="110"/>
        <source>A&amp;dd</source>
        <translation>追加(&amp;D)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/bundles.py" line="111"/>
        <source>Re&amp;move</source>
        <translation>削除(&amp;M)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/bundles.py" line="112"/>
        <source>Documents for the re-verification (KYC)</source>
        <translation>取引時確認に必要な書類</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/bundles.py" line="115"/>
        <source>Source: %1</source>
        <translation>出典: %1</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/bundles.py" line="143"/>
        <source>Existing Bundle SIDs stay usable at least until %1.</source>
        <translation>既存のBundle SIDは、少なくとも%1まで利用できます。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/bundles.py" line="146"/>
        <source>That day has passed: follow Twilio Japan&apos;s instructions for the re-verification.</source>
        <translation>この日はすでに過ぎています。取引時確認は、Twilio Japanからの案内に従ってください。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/bundles.py" line="157"/>
        <source>status: %1</source>
        <translation>状態: %1</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/bundles.py" line="159"/>
        <source>valid until %1</source>
        <translation>有効期限 %1</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/bundles.py" line="161"/>
        <source>%1 numbers</source>
        <translation>電話番号 %1件</translation>
    </message>
</context>
<context>
    <name>ChargesDialog</name>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="117"/>
        <source>Charges check (COTOHA Voice DX Basic)</source>
        <translation>料金の確認(COTOHA Voice DX Basic)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="119"/>
        <source>Call log</source>
        <translation>通話記録</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="120"/>
        <source>Outage and damages</source>
        <translation>障害と損害賠償</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="122"/>
        <source>Where the tariff leaves a point open, this check reads it so: tax on each month&apos;s total, fractions of a yen dropped; the 6-month daily average is their fees over their days; July 2021 is two parts, its number fee in the new one.</source>
        <translation>約款に定めのない点は、次のように解釈して計算しています: 消費税は各月の合計に対して計算し1円未満を切り捨て、前6か月の1日平均はその利用料の合計÷日数、2021年7月は新旧2つに分けて番号利用料は新約款の側で1回だけ計算します。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="138"/>
        <source>&amp;Open call log…</source>
        <translation>通話記録を開く(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="144"/>
        <source>Account to read the calls of</source>
        <translation>通話を読み取るアカウント</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="145"/>
        <source>Read calls from &amp;Twilio</source>
        <translation>Twilioから通話を読み取る(&amp;T)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="148"/>
        <source>Cancel</source>
        <translation>中止</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="151"/>
        <source>&amp;Export CSV…</source>
        <translation>CSVに書き出す(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="168"/>
        <source>Month</source>
        <translation>料金月</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="168"/>
        <source>Numbers out / in</source>
        <translation>番号 発信/着信</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="168"/>
        <source>Units out</source>
        <translation>発信 単位</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="168"/>
        <source>Units in</source>
        <translation>着信 単位</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="169"/>
        <source>Free in</source>
        <translation>無料の着信</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="169"/>
        <source>Old terms (excl.)</source>
        <translation>旧約款(税抜)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="169"/>
        <source>Old terms (incl.)</source>
        <translation>旧約款(税込)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="170"/>
        <source>New terms (excl.)</source>
        <translation>新約款(税抜)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="170"/>
        <source>New terms (incl.)</source>
        <translation>新約款(税込)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="170"/>
        <source>New − old (excl.)</source>
        <translation>新−旧(税抜)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="171"/>
        <source>Charges per month</source>
        <translation>料金月ごとの料金</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="173"/>
        <source>Monthly totals, old and new terms</source>
        <translation>月ごとの合計(旧約款と新約款)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="182"/>
        <source>Outbound numbers (&amp;comma-separated):</source>
        <translation>発信用の電話番号(カンマ区切り)(&amp;C):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="183"/>
        <source>Inbound &amp;numbers:</source>
        <translation>着信用の電話番号(&amp;N):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="203"/>
        <source>Open call log</source>
        <translation>通話記録を開く</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="204"/>
        <source>CSV files (*.csv *.txt);;All files (*)</source>
        <translation>CSVファイル (*.csv *.txt);;すべてのファイル (*)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="222"/>
        <source>Reading %1…</source>
        <translation>%1 を読み込んでいます…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="243"/>
        <source>Reading the calls of %1 from Twilio…</source>
        <translation>%1 の通話をTwilioから読み取っています…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="267"/>
        <source>%1: %2 calls billed, %3 not completed.</source>
        <translation>%1: 課金対象の通話%2件、完了していない通話%3件。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="301"/>
        <source>Old terms</source>
        <translation>旧約款</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="301"/>
        <source>New terms</source>
        <translation>新約款</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="301"/>
        <source>Yen (excl. tax)</source>
        <translation>円(税抜)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="301"/>
        <source>%1: old terms %2 yen, new terms %3 yen</source>
        <translation>%1: 旧約款 %2円、新約款 %3円</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="210"/>
        <source>%1 (no SID yet)</source>
        <translation>%1(SID未入力)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="210"/>
        <source>No accounts yet</source>
        <translation>アカウントがまだありません</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="210"/>
        <source>No account has a SID yet</source>
        <translation>Account SIDが入力されたアカウントがまだありません</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="210"/>
        <source>No accounts yet: add one on the Accounts page to read its calls from Twilio.</source>
        <translation>アカウントがまだありません。Twilioから通話を読み取るには、「アカウント」ページでアカウントを追加してください。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="210"/>
        <source>No account has a SID yet: enter its Account SID on the Accounts page.</source>
        <translation>Account SIDが入力されたアカウントがまだありません。「アカウント」ページでAccount SIDを入力してください。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="310"/>
        <source>%1 rows could not be read: %2</source>
        <translation>読めない行が%1行あります: %2</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="316"/>
        <source>Export charges</source>
        <translation>料金を書き出す</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="317"/>
        <source>CSV files (*.csv)</source>
        <translation>CSVファイル (*.csv)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="339"/>
        <source>Exported to %1.</source>
        <translation>%1 に書き出しました。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="360"/>
        <source>optional (new terms&apos; cap)</source>
        <translation>任意(新約款の上限)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="362"/>
        <source>Caused &amp;wilfully or by gross negligence</source>
        <translation>故意または重大な過失による(&amp;W)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="366"/>
        <source>The computation, step by step</source>
        <translation>計算の手順</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="368"/>
        <source>Provider &amp;knew at (JST):</source>
        <translation>提供事業者(約款の「当社」)が知った時刻(日本時間)(&amp;K):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="369"/>
        <source>&amp;Restored at (JST):</source>
        <translation>復旧した時刻(日本時間)(&amp;R):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="370"/>
        <source>N&amp;umbers (300 yen a month each):</source>
        <translation>電話番号の数(1番号 月額300円)(&amp;U):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="371"/>
        <source>&amp;Paid in the 12 months before (yen):</source>
        <translation>前12か月に支払った額(円)(&amp;P):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="376"/>
        <source>The usage fees of the 6 months before come from the call log on the first tab.</source>
        <translation>前6か月の利用料は、最初のタブの通話記録から計算します。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/charges.py" line="407"/>
        <source>“%1” is not an amount of yen.</source>
        <translation>「%1」は金額(円)として読めません。</translation>
    </message>
</context>
<context>
    <name>ConsentPage</name>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="100"/>
        <source>Prepare what the transfer consent form asks for, once per owner email address.</source>
        <translation>移管同意フォームの記載事項を、オーナーメールアドレスごとに準備します。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="101"/>
        <source>&amp;Owner email address:</source>
        <translation>オーナーメールアドレス(&amp;O):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="102"/>
        <source>Owner email address</source>
        <translation>オーナーメールアドレス</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="107"/>
        <source>The consent form was on this page of the notice: %1</source>
        <translation>同意フォームは、お知らせの次のページに掲載されていました: %1</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="110"/>
        <source>What the form asks</source>
        <translation>フォームの記載事項</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="112"/>
        <source>&amp;Company name:</source>
        <translation>会社名(&amp;C):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="112"/>
        <source>Company name</source>
        <translation>会社名</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="113"/>
        <source>Signer&apos;s &amp;title:</source>
        <translation>署名者の役職(&amp;T):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="113"/>
        <source>Signer&apos;s title</source>
        <translation>署名者の役職</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="114"/>
        <source>Signer&apos;s na&amp;me:</source>
        <translation>署名者の氏名(&amp;M):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="114"/>
        <source>Signer&apos;s name</source>
        <translation>署名者の氏名</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="118"/>
        <source>a person with authority to sign contracts</source>
        <translation>契約締結権限のある方</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="119"/>
        <source>Acknowledgements</source>
        <translation>確認事項</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="122"/>
        <source>Consent s&amp;ubmitted on:</source>
        <translation>移管同意の提出日(&amp;U):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="123"/>
        <source>Date consent was submitted</source>
        <translation>移管同意を提出した日</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="195"/>
        <source>Not recorded here (the form asked for it).</source>
        <translation>ここには記録されていません(フォームで記入する項目です)。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="202"/>
        <source>This date is after the “as of” moment chosen on the first page.</source>
        <translation>この日付は、最初のページで選んだ基準日時より後です。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/consent.py" line="215"/>
        <source>No account of this owner needs consent.</source>
        <translation>このオーナーには、移管同意が必要なアカウントはありません。</translation>
    </message>
</context>
<context>
    <name>CsvPreviewDialog</name>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/csv_preview.py" line="30"/>
        <location filename="../kwc_desktop/ui/dialogs/csv_preview.py" line="37"/>
        <source>Line</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/csv_preview.py" line="30"/>
        <source>Label</source>
        <translation>ラベル</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/csv_preview.py" line="30"/>
        <source>Owner email address</source>
        <translation>オーナーメールアドレス</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/csv_preview.py" line="31"/>
        <source>Account SID</source>
        <translation>Account SID</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/csv_preview.py" line="31"/>
        <source>Kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/csv_preview.py" line="37"/>
        <source>Why it was rejected</source>
        <translation>読み込めない理由</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/csv_preview.py" line="37"/>
        <source>Row as read</source>
        <translation>行の内容</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/csv_preview.py" line="47"/>
        <source>Accepted (%1)</source>
        <translation>読み込み可 (%1)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/csv_preview.py" line="48"/>
        <source>Rejected (%1)</source>
        <translation>読み込み不可 (%1)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/csv_preview.py" line="51"/>
        <source>%1 (%2): %3 accounts can be added, %4 rows were rejected.</source>
        <translation>%1 (%2): %3件のアカウントを追加できます。%4行は読み込めません。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/csv_preview.py" line="56"/>
        <source>&amp;Import %1 accounts</source>
        <translation>%1件を読み込み(&amp;I)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/csv_preview.py" line="65"/>
        <source>Import accounts from CSV</source>
        <translation>CSVからのアカウント読み込み</translation>
    </message>
</context>
<context>
    <name>FactEditor</name>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="81"/>
        <source>— not answered —</source>
        <translation>— 未回答 —</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="70"/>
        <location filename="../kwc_desktop/ui/pages/options.py" line="84"/>
        <source>Yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="70"/>
        <location filename="../kwc_desktop/ui/pages/options.py" line="85"/>
        <source>No</source>
        <translation>いいえ</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="82"/>
        <source>— Twilio: %1 —</source>
        <translation>Twilio: %1</translation>
    </message>
</context>
<context>
    <name>FaqDialog</name>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/faq.py" line="81"/>
        <source>Frequently asked questions</source>
        <translation>よくある質問</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/faq.py" line="82"/>
        <source>&amp;Search (Japanese or English):</source>
        <translation>検索(日本語・英語)(&amp;S):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/faq.py" line="83"/>
        <source>Search the questions and answers</source>
        <translation>質問と回答を検索</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/faq.py" line="84"/>
        <source>Questions</source>
        <translation>質問</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/faq.py" line="85"/>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/faq.py" line="116"/>
        <source>%1 of %2 questions</source>
        <translation>%2件中 %1件を表示</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/faq.py" line="134"/>
        <source>See:</source>
        <translation>参照先:</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/faq.py" line="148"/>
        <source>Open the %1 page in the guide</source>
        <translation>ガイドの「%1」のページを開く</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/faq.py" line="155"/>
        <source>its form is on this page:</source>
        <translation>フォームはこのページにあります:</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="97"/>
        <source>KWC → Twilio Japan transfer guide</source>
        <translation>KWC → Twilio Japan 移管ガイド</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="98"/>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="99"/>
        <source>&amp;Open profile…</source>
        <translation>プロファイルを開く(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近使ったプロファイル(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Save profile as…</source>
        <translation>プロファイルに名前を付けて保存(&amp;S)…</translation>
    </message>
    <message>
        <source>Save profile</source>
        <translation>プロファイルの保存</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>(まだありません)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="100"/>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="101"/>
        <source>&amp;Language</source>
        <translation>言語(&amp;L)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="102"/>
        <source>Tool&amp;s</source>
        <translation>ツール(&amp;S)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="103"/>
        <source>&amp;What&apos;s next (every deadline, by date)…</source>
        <translation>次にすること(すべての期限を日付順に)(&amp;W)…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="104"/>
        <source>&amp;Charges check (COTOHA Voice DX Basic)…</source>
        <translation>料金の確認(COTOHA Voice DX Basic)(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="105"/>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="106"/>
        <source>&amp;Frequently asked questions</source>
        <translation>よくある質問(&amp;F)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="107"/>
        <source>&amp;About</source>
        <translation>バージョン情報(&amp;A)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="145"/>
        <source>&amp;Retry</source>
        <translation>再試行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="147"/>
        <source>Retr&amp;y keyring</source>
        <translation>キーリングを再試行(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="151"/>
        <source>Dis&amp;miss</source>
        <translation>閉じる(&amp;M)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="166"/>
        <source>Kept for this session only, not yet in the keyring: %1.</source>
        <translation>次の値はまだキーリングに保存されておらず、このセッションの間だけ保持しています: %1。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="173"/>
        <source>Account SID of “%1”</source>
        <translation>「%1」のAccount SID</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="173"/>
        <source>Auth Token of “%1”</source>
        <translation>「%1」のAuth Token</translation>
    </message>
    <message>
        <source>API key of “%1”</source>
        <translation>「%1」のAPIキー</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="174"/>
        <source>Bundle SIDs of “%1”</source>
        <translation>「%1」のBundle SID</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="191"/>
        <location filename="../kwc_desktop/ui/main_window.py" line="196"/>
        <location filename="../kwc_desktop/ui/main_window.py" line="202"/>
        <source>Open profile</source>
        <translation>プロファイルを開く</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="192"/>
        <source>Profiles (*.toml);;All files (*)</source>
        <translation>プロファイル (*.toml);;すべてのファイル (*)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="197"/>
        <source>Replace the accounts and answers you have entered with the profile&apos;s?</source>
        <translation>入力済みのアカウントと回答を、プロファイルの内容で置き換えますか？</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="241"/>
        <source>About</source>
        <translation>バージョン情報</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="241"/>
        <source>kwc-desktop %1

Rules from: %2</source>
        <translation>kwc-desktop %1

ルールの出典: %2</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="284"/>
        <source>Quit</source>
        <translation>終了</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="285"/>
        <source>The keyring has not saved these yet. If you quit now, they are lost:</source>
        <translation>次の値はまだキーリングに保存されていません。いま終了すると失われます:</translation>
    </message>
    <message>
        <source>There is no keyring on this computer, so these are kept only while kwc-desktop runs. If you quit now, they are lost:</source>
        <translation>このコンピューターにはキーリングがないため、次の値はkwc-desktopの実行中だけ保持されています。いま終了すると失われます:</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="288"/>
        <source>&amp;Quit anyway</source>
        <translation>このまま終了(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/main_window.py" line="289"/>
        <source>&amp;Stay</source>
        <translation>終了しない(&amp;S)</translation>
    </message>
</context>
<context>
    <name>MigrationWizard</name>
    <message>
        <location filename="../kwc_desktop/ui/wizard.py" line="82"/>
        <source>KWC → Twilio Japan transfer guide</source>
        <translation>KWC → Twilio Japan 移管ガイド</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/wizard.py" line="83"/>
        <source>FA&amp;Q</source>
        <translation>FAQ(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/wizard.py" line="90"/>
        <source>Fi&amp;nish</source>
        <translation>完了(&amp;N)</translation>
    </message>
</context>
<context>
    <name>OptionsPage</name>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="182"/>
        <source>Options</source>
        <translation>ご利用状況の確認</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="183"/>
        <source>Answer for each account. Which procedures apply follows from your answers.</source>
        <translation>アカウントごとに回答してください。回答に応じて、必要な手続きが決まります。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="184"/>
        <source>A&amp;ccount:</source>
        <translation>アカウント(&amp;C):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="185"/>
        <source>Account</source>
        <translation>アカウント</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="186"/>
        <source>This account</source>
        <translation>このアカウント</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="187"/>
        <source>What applies to this account, and why</source>
        <translation>このアカウントに必要な手続きと理由</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="188"/>
        <source>Procedures that apply</source>
        <translation>該当する手続き</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="189"/>
        <source>&amp;Read this account from Twilio</source>
        <translation>このアカウントをTwilioから読み取る(&amp;R)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="207"/>
        <source>This account has no Account SID: add it on the Accounts page.</source>
        <translation>このアカウントにはAccount SIDがありません。「アカウント」のページで追加してください。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="209"/>
        <source>Already reading from Twilio…</source>
        <translation>Twilioから読み取っている途中です…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="233"/>
        <source>Owner %1</source>
        <translation>オーナー %1</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="289"/>
        <source>(your own answer is used)</source>
        <translation>(ご自身の回答を使用)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="298"/>
        <source>Read from Twilio:</source>
        <translation>Twilioから読み取った内容:</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/options.py" line="306"/>
        <source>Not answered yet (answers may add procedures):</source>
        <translation>未回答(回答により手続きが増える可能性があります):</translation>
    </message>
</context>
<context>
    <name>OverviewDialog</name>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="147"/>
        <source>What&apos;s next</source>
        <translation>次にすること</translation>
    </message>
</context>
<context>
    <name>OverviewPage</name>
    <message>
        <location filename="../kwc_desktop/ui/pages/overview.py" line="22"/>
        <source>What&apos;s next</source>
        <translation>次にすること</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/overview.py" line="23"/>
        <source>Every procedure&apos;s next step, by date. The pages after this one are where you answer, prepare and tick them off.</source>
        <translation>手続きごとの次の手順を日付順に示します。回答・準備・完了の記録は、このあとのページで行います。</translation>
    </message>
</context>
<context>
    <name>OverviewPanel</name>
    <message>
        <source>To do (not overdue)</source>
        <translation>未完了(期限超過を除く)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="44"/>
        <source>Sho&amp;w:</source>
        <translation>表示(&amp;W):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="46"/>
        <source>Still to do</source>
        <translation>まだ行うもの</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="46"/>
        <source>Due</source>
        <translation>未完了</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="46"/>
        <source>Overdue</source>
        <translation>期限超過(要対応)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="47"/>
        <source>Missed</source>
        <translation>期限切れ(実施不可)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="47"/>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="47"/>
        <source>All</source>
        <translation>すべて</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="50"/>
        <source>Which steps to show</source>
        <translation>表示する手順</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="52"/>
        <source>Export &amp;calendar (.ics)…</source>
        <translation>カレンダーに書き出す(.ics)(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="65"/>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="65"/>
        <source>Days left</source>
        <translation>残り日数</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="65"/>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="66"/>
        <source>Owner</source>
        <translation>オーナー</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="66"/>
        <source>Accounts</source>
        <translation>アカウント</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="66"/>
        <source>Next step</source>
        <translation>次の手順</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="67"/>
        <source>Every procedure&apos;s next step, by date</source>
        <translation>手続きごとの次の手順(日付順)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="89"/>
        <source>%1 days ago</source>
        <translation>%1日前</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="90"/>
        <source>%1 days</source>
        <translation>あと%1日</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="99"/>
        <source>no deadline</source>
        <translation>期限なし</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="100"/>
        <source>Do this next: %1 — %2 (%3), by %4.</source>
        <translation>次にすること: %1 — %2(%3)。期限は%4です。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="104"/>
        <source>Nothing to do right now: every step is done, or its time has passed.</source>
        <translation>今すぐ行う手続きはありません(すべて完了したか、期限が過ぎています)。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="121"/>
        <source>Export calendar</source>
        <translation>カレンダーに書き出す</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="122"/>
        <source>Calendar files (*.ics)</source>
        <translation>カレンダーファイル (*.ics)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/overview.py" line="137"/>
        <source>Wrote %1 deadlines to %2.</source>
        <translation>期限%1件を %2 に書き出しました。</translation>
    </message>
</context>
<context>
    <name>PasteSidsDialog</name>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/paste_sids.py" line="35"/>
        <source>Account SIDs, one per line</source>
        <translation>Account SID(1行に1つ)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/paste_sids.py" line="40"/>
        <source>Owner email address</source>
        <translation>オーナーメールアドレス</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/paste_sids.py" line="42"/>
        <source>Kind of account</source>
        <translation>アカウントの種類</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/paste_sids.py" line="48"/>
        <source>&amp;Owner email address:</source>
        <translation>オーナーメールアドレス(&amp;O):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/paste_sids.py" line="48"/>
        <source>&amp;Kind:</source>
        <translation>種類(&amp;K):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/paste_sids.py" line="56"/>
        <source>Paste Account SIDs, one per line or separated by commas. Spaces, full-width characters and capital letters are fine.</source>
        <translation>Account SIDを、1行に1つずつ、またはカンマ区切りで貼り付けてください。空白・全角文字・大文字が含まれていても問題ありません。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/paste_sids.py" line="65"/>
        <source>Paste Account SIDs</source>
        <translation>Account SIDの貼り付け</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/paste_sids.py" line="98"/>
        <source>%1 new, %2 already added, %3 rejected.</source>
        <translation>新規 %1件、追加済み %2件、読み込み不可 %3件</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/dialogs/paste_sids.py" line="104"/>
        <source>At most %1 accounts in all: %2 more can be added.</source>
        <translation>アカウントは合計%1件までです。追加できるのはあと%2件です。</translation>
    </message>
</context>
<context>
    <name>PaymentPage</name>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="72"/>
        <source>Payment</source>
        <translation>お支払い</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="73"/>
        <source>After the transfer PayPal cannot be used. These card brands can be registered.</source>
        <translation>移管後はPayPalを利用できません。登録できるカードブランドは次のとおりです。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="74"/>
        <source>Card brands accepted after the transfer</source>
        <translation>移管後に登録できるカードブランド</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="75"/>
        <source>Card brand</source>
        <translation>カードブランド</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="75"/>
        <source>Can be registered from</source>
        <translation>登録可能になる日</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="78"/>
        <source>Check a card&apos;s brand</source>
        <translation>カードブランドの確認</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="79"/>
        <source>First &amp;digits (up to 8):</source>
        <translation>先頭の数字(8桁まで)(&amp;D):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="80"/>
        <source>First digits of the card, up to 8</source>
        <translation>カード番号の先頭の数字(8桁まで)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="81"/>
        <source>never stored</source>
        <translation>保存されません</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="125"/>
        <source>%2 PayPal payments of %1 (USD)</source>
        <translation>%1の%2年のPayPal支払額(USD)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="164"/>
        <source>%1 USD or more: you may ask Twilio Japan for invoice payment.</source>
        <translation>%1 USD以上のため、Twilio Japanに請求書払いを依頼できます。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="167"/>
        <source>Under %1 USD: register a credit card.</source>
        <translation>%1 USD未満のため、クレジットカードを登録してください。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="92"/>
        <source>not yet</source>
        <translation>まだ不可</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="76"/>
        <source>As of the chosen moment</source>
        <translation>設定した基準日時の時点</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="82"/>
        <source>PayPal payments in %1 (invoice payment possible from %2 USD)</source>
        <translation>%1年のPayPal支払額(%2 USD以上で請求書払いが可能)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="91"/>
        <source>accepted all along</source>
        <translation>当初から登録可</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="92"/>
        <source>can be registered</source>
        <translation>登録可</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="162"/>
        <source>Not answered.</source>
        <translation>未回答です。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="182"/>
        <source>Type the first digits to see the brand.</source>
        <translation>先頭の数字を入力すると、カードブランドを確認できます。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="192"/>
        <source>Type more digits: it could be %1.</source>
        <translation>%1の可能性があります。続けて数字を入力してください。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="196"/>
        <source>%1: can be registered.</source>
        <translation>%1: 登録できます。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/payment.py" line="200"/>
        <source>%1: can be registered from %2.</source>
        <translation>%1: %2から登録できます。</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <location filename="../kwc_desktop/ui/pages/summary.py" line="110"/>
        <source>Summary</source>
        <translation>まとめ</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/summary.py" line="111"/>
        <source>Your checklist. Tick a step when it is done; deadlines are in Japan time.</source>
        <translation>お手続きのチェックリストです。完了した手順にチェックを入れてください。期限は日本時間です。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/summary.py" line="112"/>
        <source>Step</source>
        <translation>手順</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/summary.py" line="112"/>
        <source>Deadline</source>
        <translation>期限</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/summary.py" line="112"/>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/summary.py" line="113"/>
        <source>Checklist</source>
        <translation>チェックリスト</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/summary.py" line="114"/>
        <source>&amp;Export PDF…</source>
        <translation>PDFに書き出す(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/summary.py" line="115"/>
        <source>&amp;Print…</source>
        <translation>印刷(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/summary.py" line="116"/>
        <source>Stop</source>
        <translation>中止</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/summary.py" line="117"/>
        <source>&amp;Mask SIDs (AC12…cdef)</source>
        <translation>SIDを伏せる(AC12…cdef)(&amp;M)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/summary.py" line="203"/>
        <source>Export checklist as PDF</source>
        <translation>チェックリストをPDFに書き出す</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/summary.py" line="203"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/summary.py" line="278"/>
        <source>Select a step to read it in full.</source>
        <translation>手順を選択すると、全文が表示されます。</translation>
    </message>
</context>
<context>
    <name>TwilioReader</name>
    <message>
        <location filename="../kwc_desktop/ui/detection.py" line="117"/>
        <source>Reading from Twilio failed (%1).</source>
        <translation>Twilioからの読み取りに失敗しました(%1)。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/detection.py" line="122"/>
        <source>Stopped. Accounts read: %1 of %2.</source>
        <translation>中止しました。%2件中%1件のアカウントを読み取りました。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/detection.py" line="125"/>
        <source>Accounts read: %1 of %2. Not read in full: %3</source>
        <translation>%2件中%1件のアカウントを読み取りました。すべては読み取れなかったアカウント — %3</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/detection.py" line="128"/>
        <source>Accounts read from Twilio: %1. What they answer is on the Options page.</source>
        <translation>Twilioから%1件のアカウントを読み取りました。分かったことは「ご利用状況の確認」のページにあります。</translation>
    </message>
    <message>
        <source>Nothing could be read from Twilio. %1</source>
        <translation>Twilioから何も読み取れませんでした。%1</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/detection.py" line="131"/>
        <source>Sub-accounts found and added under their owner: %1.</source>
        <translation>サブアカウントが%1件見つかったので、オーナーのアカウントの下に追加しました。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/detection.py" line="140"/>
        <source>waiting…</source>
        <translation>待機中…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/detection.py" line="142"/>
        <source>reading…</source>
        <translation>読み取り中…</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/detection.py" line="144"/>
        <source>stopped</source>
        <translation>中止</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/detection.py" line="148"/>
        <source>not read: %1</source>
        <translation>読み取れません: %1</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/detection.py" line="150"/>
        <source>read %1</source>
        <translation>読み取り %1</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/detection.py" line="150"/>
        <source>read</source>
        <translation>読み取り済み</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/detection.py" line="151"/>
        <source>(in part)</source>
        <translation>(一部)</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="95"/>
        <source>Welcome</source>
        <translation>はじめに</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="96"/>
        <source>This guide walks you through the transfer of your KWC Twilio accounts to Twilio Japan: what applies to you, by when, and what to prepare.</source>
        <translation>KWC提供のTwilioアカウントのTwilio Japanへの移管について、該当する手続き、その期限、準備するものを順にご案内します。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="98"/>
        <source>Lan&amp;guage:</source>
        <translation>言語(&amp;G):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="99"/>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="100"/>
        <source>Show deadlines &amp;as of:</source>
        <translation>期限の基準日時(&amp;A):</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="101"/>
        <source>No&amp;w</source>
        <translation>現在(&amp;W)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="103"/>
        <source>A chosen &amp;moment (%1)</source>
        <translation>指定日時 (%1)(&amp;M)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="104"/>
        <source>Moment to judge deadlines at (%1)</source>
        <translation>期限判定の基準日時(%1)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="105"/>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="105"/>
        <source>Status</source>
        <translation>状況</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="105"/>
        <source>When (%1)</source>
        <translation>日時 (%1)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="106"/>
        <source>&amp;Timeline</source>
        <translation>スケジュール(&amp;T)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="107"/>
        <source>What &amp;stays the same</source>
        <translation>変わらないこと(&amp;S)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="108"/>
        <source>What &amp;changes</source>
        <translation>変わること(&amp;C)</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="145"/>
        <source>passed</source>
        <translation>経過</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="145"/>
        <source>ahead</source>
        <translation>今後</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="156"/>
        <source>As of %1 every deadline of the migration has passed. The checklist still shows what was done, what is overdue and what can no longer be done.</source>
        <translation>%1時点で、移管に関する期限はすべて過ぎています。チェックリストでは、完了したもの、期限超過のもの、期限切れで実施できないものを引き続き確認できます。</translation>
    </message>
    <message>
        <location filename="../kwc_desktop/ui/pages/welcome.py" line="161"/>
        <source>As of %1 the next date is %2: %3.</source>
        <translation>%1時点で、次の予定は%2の「%3」です。</translation>
    </message>
</context>
</TS>
