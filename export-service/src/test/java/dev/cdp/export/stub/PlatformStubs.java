package dev.cdp.export.stub;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.util.List;

/**
 * One in-process WireMock server on 127.0.0.1 that answers as Meta custom audiences ({@code /meta}), Google Data
 * Manager ({@code /google}) and TikTok audiences ({@code /tiktok}) do, so a test points each platform client at
 * {@code platform().baseUrl()} and asserts on what the platform received. Call {@link #reset()} between tests.
 */
public final class PlatformStubs {

    /** The platforms, for {@link #down} and {@link #up}. */
    public enum Platform {
        META, GOOGLE, TIKTOK
    }

    private final MetaStub meta = new MetaStub();
    private final GoogleDataManagerStub google = new GoogleDataManagerStub();
    private final TikTokStub tiktok = new TikTokStub();
    private final WireMockServer server;

    /** Starts the server on a free port. */
    public PlatformStubs() {
        this(true);
    }

    private PlatformStubs(boolean journal) {
        // No request logging: WireMock would format every request, 7 MB bodies included, into a log line.
        WireMockConfiguration options = options().bindAddress("127.0.0.1").dynamicPort().stubRequestLoggingDisabled(true)
                .extensions(meta.transformer(), google.transformer(), tiktok.transformer());
        server = new WireMockServer(journal ? options : options.disableRequestJournal());
        server.start();
        stubs().forEach(stub -> stub.bind(server));
    }

    /**
     * Stubs for a benchmark: the same checks and answers, but no request journal and no Meta rows kept, so what is
     * measured is the client and not the stub's memory.
     */
    public static PlatformStubs forBenchmarks() {
        PlatformStubs stubs = new PlatformStubs(false);
        stubs.meta.countOnly();
        return stubs;
    }

    /** {@code http://127.0.0.1:PORT}; each platform's own base URL is {@code meta().baseUrl()} etc. */
    public String baseUrl() {
        return baseUrl(server);
    }

    static String baseUrl(WireMockServer server) {
        return "http://127.0.0.1:" + server.port();
    }

    public MetaStub meta() {
        return meta;
    }

    public GoogleDataManagerStub google() {
        return google;
    }

    public TikTokStub tiktok() {
        return tiktok;
    }

    /** The server itself, for WireMock's request journal ({@code verify}, {@code getAllServeEvents}). */
    public WireMockServer server() {
        return server;
    }

    /** Every path of the platform answers 503 until {@link #up}; the other platforms are unaffected. */
    public void down(Platform platform) {
        stub(platform).down();
    }

    public void up(Platform platform) {
        stub(platform).up();
    }

    /** Makes Meta and Google refuse these hashes in rows (see {@link PlatformStub#REFUSED}) until {@link #reset()}. */
    public void refuseValues(java.util.Collection<String> hashes) {
        PlatformStub.REFUSED.addAll(hashes);
    }

    /** Clears the journal, scenarios, faults, audiences and logs, and puts the default behaviour back. */
    public void reset() {
        PlatformStub.REFUSED.clear();
        server.resetAll();
        stubs().forEach(PlatformStub::reset);
    }

    public void stop() {
        server.stop();
    }

    private PlatformStub stub(Platform platform) {
        return switch (platform) {
            case META -> meta;
            case GOOGLE -> google;
            case TIKTOK -> tiktok;
        };
    }

    private List<PlatformStub> stubs() {
        return List.of(meta, google, tiktok);
    }
}
