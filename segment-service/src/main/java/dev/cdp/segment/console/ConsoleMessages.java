package dev.cdp.segment.console;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The console's words in English; {@code messages/msg_tr.properties} has them in Turkish. Templates read them as
 * {@code {msg:segments}}, and labels chosen at run time (operators, fields) as {@code {msg:message(key)}}.
 */
@MessageBundle(value = "msg", locale = "en")
public interface ConsoleMessages {

    @Message("CDP console")
    String title();

    @Message("Skip to content")
    String skip();

    @Message("Main")
    String navigation();

    @Message("Segments")
    String segments();

    @Message("Profiles")
    String profiles();

    @Message("Sign out")
    String signOut();

    @Message("Signed in as {name} ({roles})")
    String signedIn(String name, String roles);

    @Message("New segment")
    String newSegment();

    @Message("Name")
    String name();

    @Message("Description")
    String description();

    @Message("Size")
    String size();

    @Message("Last evaluated")
    String lastEvaluated();

    @Message("Never evaluated")
    String neverEvaluated();

    @Message("Version")
    String version();

    @Message("No segments yet.")
    String noSegments();

    @Message("Start from an example")
    String examples();

    @Message("Size over time")
    String sizeOverTime();

    @Message("Size of {name} over time: {count} evaluations, from {first} to {last}")
    String chartSummary(String name, String count, String first, String last);

    @Message("Not evaluated yet: evaluate the segment to see its size.")
    String noHistory();

    @Message("Evaluations")
    String evaluations();

    @Message("Evaluated at")
    String evaluatedAt();

    @Message("Entered")
    String entered();

    @Message("Exited")
    String exited();

    @Message("Duration")
    String duration();

    @Message("{ms} ms")
    String milliseconds(String ms);

    @Message("Trigger")
    String trigger();

    @Message("Evaluate now")
    String evaluate();

    @Message("Edit")
    String edit();

    @Message("Delete")
    String delete();

    @Message("Delete the segment {name}? Its members and history go with it.")
    String confirmDelete(String name);

    @Message("SQL")
    String sql();

    @Message("Parameters")
    String parameters();

    @Message("Definition")
    String definition();

    @Message("Customers who match")
    String rules();

    @Message("All of these (AND)")
    String logicAnd();

    @Message("Any of these (OR)")
    String logicOr();

    @Message("Not all of these (NOT)")
    String logicNot();

    @Message("Group")
    String group();

    @Message("Condition")
    String condition();

    @Message("Add condition")
    String addCondition();

    @Message("Add group")
    String addGroup();

    @Message("Remove")
    String remove();

    @Message("Kind")
    String kind();

    @Message("Profile")
    String kindProfile();

    @Message("Purchases")
    String kindTransaction();

    @Message("Events")
    String kindEvent();

    @Message("Field")
    String field();

    @Message("Operator")
    String operator();

    @Message("Value")
    String value();

    @Message("and")
    String and();

    @Message("Measure")
    String metric();

    @Message("Purchase types")
    String transactionTypes();

    @Message("Stores (comma-separated ids)")
    String stores();

    @Message("Event name (empty: any event)")
    String eventName();

    @Message("Only events where")
    String filters();

    @Message("Add filter")
    String addFilter();

    @Message("Property or context (properties.price, context.campaign.source, name)")
    String filterField();

    @Message("When")
    String window();

    @Message("All time")
    String windowAll();

    @Message("In the last")
    String windowPeriod();

    @Message("Between dates")
    String windowRange();

    @Message("Period (P7D, P30D, P12W, P6M, P1Y, PT12H)")
    String period();

    @Message("From")
    String from();

    @Message("To")
    String to();

    @Message("Comma-separated for several values; \"2000\" in quotes is text, 2000 a number.")
    String valueHint();

    @Message("Live preview")
    String preview();

    @Message("{count} customers match now")
    String matching(String count);

    @Message("Fix the marked fields to see who matches.")
    String fixProblems();

    @Message("Sample")
    String sample();

    @Message("Customer")
    String customer();

    @Message("City")
    String city();

    @Message("Tier")
    String tier();

    @Message("Age")
    String age();

    @Message("Purchases")
    String purchases();

    @Message("Save segment")
    String save();

    @Message("Saved.")
    String saved();

    @Message("This needs the role {roles}; you do not have it.")
    String roleMissing(String roles);

    @Message("{service} cannot be reached now; try again in a moment.")
    String unavailable(String service);

    @Message("Not found.")
    String notFound();

    @Message("Find a customer")
    String findCustomer();

    @Message("Email, phone, loyalty card, user id, anonymous id or customer id")
    String searchHint();

    @Message("Search")
    String search();

    @Message("No customer is known by that.")
    String noCustomer();

    @Message("Recently updated customers")
    String recentCustomers();

    @Message("Identities")
    String identities();

    @Message("Consents")
    String consents();

    @Message("Facts")
    String facts();

    @Message("Segments this customer is in")
    String memberOf();

    @Message("Timeline")
    String timeline();

    @Message("Transactions")
    String transactions();

    @Message("Interactions")
    String interactions();

    @Message("Granted")
    String granted();

    @Message("Refused")
    String refused();

    @Message("Unknown")
    String unknown();

    @Message("Personal data is masked: it needs the role pii-reader.")
    String masked();

    @Message("Email")
    String email();

    @Message("Phone")
    String phone();

    @Message("Birth date")
    String birthDate();

    @Message("Loyalty card")
    String loyaltyCard();

    @Message("Country")
    String country();

    @Message("Created")
    String created();

    @Message("Last seen")
    String lastSeen();

    @Message("Transaction count")
    String transactionCount();

    @Message("Spent in all")
    String transactionTotal();

    @Message("Last purchase")
    String lastTransaction();

    @Message("Amount")
    String amount();

    @Message("Type")
    String type();

    @Message("Store")
    String store();

    @Message("When")
    String when();

    @Message("Event")
    String event();

    @Message("Channel")
    String channel();

    @Message("Source")
    String source();

    @Message("none")
    String none();

    // Labels chosen at run time ({msg:message(key)}): operators, fields, measures, windows.
    @Message("is")
    String op_eq();

    @Message("is not")
    String op_neq();

    @Message("is one of")
    String op_in();

    @Message("is none of")
    String op_not_in();

    @Message("more than")
    String op_gt();

    @Message("at least")
    String op_gte();

    @Message("less than")
    String op_lt();

    @Message("at most")
    String op_lte();

    @Message("between")
    String op_between();

    @Message("contains")
    String op_contains();

    @Message("starts with")
    String op_starts_with();

    @Message("is known")
    String op_exists();

    @Message("never happened")
    String op_never();

    @Message("city")
    String field_city();

    @Message("state")
    String field_state();

    @Message("postal code")
    String field_postalCode();

    @Message("country")
    String field_country();

    @Message("segment")
    String field_segment();

    @Message("tier")
    String field_tier();

    @Message("gender")
    String field_gender();

    @Message("age")
    String field_age();

    @Message("birth date")
    String field_birthDate();

    @Message("customer since")
    String field_createdAt();

    @Message("last seen")
    String field_lastSeenAt();

    @Message("email opt-in")
    String field_emailOptIn();

    @Message("SMS opt-in")
    String field_smsOptIn();

    @Message("advertising opt-in")
    String field_advertisingOptIn();

    @Message("email")
    String field_email();

    @Message("phone")
    String field_phone();

    @Message("loyalty card")
    String field_loyaltyCard();

    @Message("number of purchases")
    String metric_count();

    @Message("total spent")
    String metric_sum();

    @Message("average purchase")
    String metric_avg();

    @Message("largest purchase")
    String metric_max();

    @Message("number of events")
    String metric_events();

    @Message("yes")
    String yes();

    @Message("no")
    String no();

    @Message("About")
    String about();

    @Message("Live events")
    String debugger();

    @Message("Events")
    String events();

    @Message("Show")
    String show();

    @Message("The newest messages stored, newest first; new ones appear as they arrive. Traits are masked without the role pii-reader.")
    String debuggerHint();

    @Message("Live: checking for new events every 2 seconds.")
    String live();

    @Message("Sources")
    String sources();

    @Message("Write keys")
    String writeKeys();

    @Message("New write key")
    String newKey();

    @Message("Allowed browser origins (space-separated; empty: the source's default)")
    String origins();

    @Message("Messages per second")
    String rate();

    @Message("Status")
    String status();

    @Message("Key")
    String key();

    @Message("Made by")
    String createdBy();

    @Message("Make key")
    String makeKey();

    @Message("Rotate")
    String rotate();

    @Message("Revoke")
    String revoke();

    @Message("Revoke the key {hint}? Calls with it are refused at once.")
    String confirmRevoke(String hint);

    @Message("Copy this key now: it is shown only once.")
    String keyOnce();

    @Message("Paste into your website")
    String snippet();

    @Message("Or send from a server")
    String serverSnippet();

    @Message("No write keys yet.")
    String noKeys();

    @Message("Destinations")
    String destinations();

    @Message("No destinations yet.")
    String noDestinations();

    @Message("Account")
    String account();

    @Message("Test connection")
    String testConnection();

    @Message("Connect a destination")
    String newDestination();

    @Message("Ad account, advertiser or webhook URL")
    String accountHint();

    @Message("Access token (webhook: signing secret, empty to generate)")
    String credentialHint();

    @Message("Connect")
    String connect();

    @Message("Syncs")
    String syncs();

    @Message("No segment is synced yet.")
    String noSyncs();

    @Message("Destination")
    String destination();

    @Message("Mode")
    String mode();

    @Message("Identifiers")
    String identifiers();

    @Message("paused")
    String paused();

    @Message("Sync a segment")
    String newSync();

    @Message("Mirror (add and remove)")
    String mirror();

    @Message("Add only")
    String addOnly();

    @Message("On every change")
    String onChange();

    @Message("By hand")
    String manual();

    @Message("Run now")
    String runNow();

    @Message("Runs")
    String runs();

    @Message("No runs yet.")
    String noRuns();

    @Message("Progress")
    String progress();

    @Message("Members read")
    String membersRead();

    @Message("Added")
    String added();

    @Message("Removed")
    String removed();

    @Message("Refused")
    String failed();

    @Message("Left out: no advertising consent")
    String skippedNoConsent();

    @Message("Left out: no identifier")
    String skippedNoIdentifier();

    @Message("Coverage per identifier")
    String coverage();

    @Message("Identifier")
    String identifier();

    @Message("Rows")
    String rows();

    @Message("Share")
    String share();

    @Message("Exports")
    String exports();

    @Message("Export jobs")
    String exportJobs();

    @Message("No exports yet.")
    String noExports();

    @Message("Platform")
    String platform();

    @Message("Export")
    String startExport();

    @Message("File")
    String file();

    @Message("Download")
    String download();
}
