package dev.cdp.export.service;

import dev.cdp.export.config.ExportConfig;
import dev.cdp.export.domain.ExportJob;
import dev.cdp.export.domain.ExportJob.Progress;
import dev.cdp.export.file.AudienceFileWriter;
import dev.cdp.export.file.AudienceFiles;
import dev.cdp.export.file.Coverage;
import dev.cdp.export.file.RowOutcome;
import dev.cdp.export.file.RowOwners;
import dev.cdp.export.member.AudienceMember;
import dev.cdp.export.repository.ExportRepository;
import dev.cdp.export.segment.SegmentClient;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs export jobs on a few threads of its own: claims the oldest QUEUED job (any replica may), streams the segment's
 * members from segment-service, keeps those with advertising consent, normalizes, hashes and writes them into
 * {@code <directory>/<job id>.csv.part} (and whose each row is into {@code <job id>.owners.part}, for erasures), and
 * renames them to {@code .csv} and {@code .owners} only once they are complete and on disk,
 * so an unfinished file is never served. Progress and a heartbeat are stored every second; a job whose runner stops
 * is failed by whichever instance notices the silence. Finished files are deleted when their retention ends.
 */
@ApplicationScoped
public class ExportRunner {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);
    private static final Duration DATABASE_TIMEOUT = Duration.ofSeconds(30);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm").withZone(ZoneOffset.UTC);

    private final ExportRepository jobs;
    private final SegmentClient segments;
    private final ExportConfig config;
    private final Semaphore free;
    private final ExecutorService threads;

    public ExportRunner(ExportRepository jobs, SegmentClient segments, ExportConfig config) {
        this.jobs = jobs;
        this.segments = segments;
        this.config = config;
        this.free = new Semaphore(config.workers());
        this.threads = Executors.newFixedThreadPool(config.workers(), task -> new Thread(task, "export-runner"));
    }

    void start(@Observes StartupEvent started) throws IOException {
        Files.createDirectories(config.directory());
        dispatch();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Starts queued jobs while this instance has a free worker. Called on every new job and every few seconds. */
    public void dispatch() {
        while (free.tryAcquire()) {
            try {
                threads.execute(this::runNext);
            } catch (RuntimeException e) {
                free.release();
                return;
            }
        }
    }

    /** Fails jobs that lost their runner, deletes files past retention, and starts what is queued. */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void housekeeping() {
        for (UUID id : jobs.failAbandoned(config.staleAfter()).await().atMost(DATABASE_TIMEOUT)) {
            Log.warnf("Export %s lost its runner and is marked failed", id);
            try {
                Files.deleteIfExists(partial(id));
                Files.deleteIfExists(partial(owners(id)));
            } catch (IOException e) {
                Log.warnf("Export %s: its partial file could not be deleted: %s", id, e.getMessage());
            }
        }
        for (UUID id : jobs.expiredFiles().await().atMost(DATABASE_TIMEOUT)) {
            try {
                deleteFile(id);
                Log.infof("Export %s: file deleted, its retention ended", id);
            } catch (IOException e) {
                Log.warnf("Export %s: its expired file could not be deleted: %s", id, e.getMessage());
            }
        }
        dispatch();
    }

    /** The complete file of a job, once it succeeded. */
    public Path file(UUID jobId) {
        return config.directory().resolve(jobId + ".csv");
    }

    /** Whose each row of the job's file is ({@link RowOwners}). */
    public Path owners(UUID jobId) {
        return config.directory().resolve(jobId + ".owners");
    }

    /** Deletes a finished file (and its owners) and records that it is gone. */
    public void deleteFile(UUID jobId) throws IOException {
        Files.deleteIfExists(file(jobId));
        Files.deleteIfExists(owners(jobId));
        jobs.fileDeleted(jobId).await().atMost(DATABASE_TIMEOUT);
    }

    private Path partial(UUID jobId) {
        return config.directory().resolve(jobId + ".csv.part");
    }

    private static Path partial(Path complete) {
        return complete.resolveSibling(complete.getFileName() + ".part");
    }

    private void runNext() {
        try {
            Optional<ExportJob> claimed = jobs.claimNext().await().atMost(DATABASE_TIMEOUT);
            if (claimed.isEmpty()) {
                return;
            }
            run(claimed.get());
        } catch (RuntimeException e) {
            Log.warnf("Could not take the next export job: %s", e.getMessage());
            return;
        } finally {
            free.release();
        }
        dispatch(); // one finished: the next may be waiting
    }

    private void run(ExportJob job) {
        Path partial = partial(job.id());
        Counters counters = new Counters();
        Log.infof("Export %s started: segment %s version %d to %s, requested by %s", job.id(), job.segmentId(), job.segmentVersion(),
                job.platform(), job.requestedBy());
        Path partialOwners = partial(owners(job.id()));
        try (OutputStream out = Files.newOutputStream(partial); // the file writer buffers
                RowOwners.Writer owners = RowOwners.writer(partialOwners);
                SegmentClient.Members members = segments.members(job.segmentId(), false)) {
            AudienceFileWriter writer = AudienceFiles.writer(job.platform(), out);
            counters.coverage = writer.coverage();
            writer.writeHeader();
            long reportAt = System.nanoTime() + PROGRESS_EVERY.toNanos();
            while (members.hasNext()) {
                AudienceMember member = members.next();
                counters.read++;
                if (member.consentAdvertising()) {
                    // A member without a usable identifier is counted as skipped by the writer, and has no row.
                    if (writer.write(member) == RowOutcome.WRITTEN) {
                        owners.add(member.customerId());
                    }
                } else {
                    counters.noConsent++;
                }
                if ((counters.read & 1023) == 0 && System.nanoTime() > reportAt) {
                    jobs.progress(job.id(), counters.progress()).await().atMost(DATABASE_TIMEOUT);
                    reportAt = System.nanoTime() + PROGRESS_EVERY.toNanos();
                }
            }
            writer.flush();
            owners.finish(partialOwners);
        } catch (IOException | RuntimeException e) {
            fail(job, partial, counters, e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(job, partial, counters, "interrupted: export-service stopped while it ran; start a new export");
            return;
        }
        try {
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                channel.force(true); // on disk before it is called complete
            }
            Path complete = file(job.id());
            Files.move(partialOwners, owners(job.id()), StandardCopyOption.ATOMIC_MOVE); // first: a served file has its owners
            Files.move(partial, complete, StandardCopyOption.ATOMIC_MOVE);
            Instant expiresAt = Instant.now().plus(config.retention());
            if (!jobs.succeed(job.id(), counters.progress(), downloadName(job), Files.size(complete), expiresAt).await().atMost(DATABASE_TIMEOUT)) {
                Files.deleteIfExists(complete); // failed meanwhile (it went silent too long): its file is not served
                Files.deleteIfExists(owners(job.id()));
            }
            Log.infof("Export %s succeeded: %d members read, %d rows written, %d without consent, %d without a usable identifier",
                    job.id(), counters.read, counters.coverage.rowsWritten(), counters.noConsent, counters.coverage.rowsSkipped());
        } catch (IOException | RuntimeException e) {
            fail(job, partial, counters, e.getMessage());
        }
    }

    private void fail(ExportJob job, Path partial, Counters counters, String why) {
        Log.warnf("Export %s failed: %s", job.id(), why);
        try {
            Files.deleteIfExists(partial);
            Files.deleteIfExists(partial(owners(job.id())));
            Files.deleteIfExists(file(job.id()));
            Files.deleteIfExists(owners(job.id()));
            jobs.fail(job.id(), counters.progress(), why == null ? "failed" : why).await().atMost(DATABASE_TIMEOUT);
        } catch (IOException | RuntimeException e) {
            Log.errorf("Export %s: could not record its failure (%s); it will be failed once its heartbeat is stale", job.id(), e.getMessage());
        }
    }

    /** {@code meta-istanbul-fuel-regulars-20261126-2103.csv}: platform, segment name in ASCII, creation time (UTC). */
    static String downloadName(ExportJob job) {
        String slug = Normalizer.normalize(job.segmentName().replace('ı', 'i').replace('İ', 'I'), Normalizer.Form.NFKD)
                .replaceAll("[^A-Za-z0-9]+", "-").toLowerCase(Locale.ROOT).replaceAll("^-+|-+$", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60).replaceAll("-+$", "");
        }
        return job.platform().name().toLowerCase(Locale.ROOT) + "-" + (slug.isEmpty() ? "segment" : slug) + "-" + FILE_TIME.format(job.createdAt()) + ".csv";
    }

    /** What a running job has counted; read by the progress updates from the same thread. */
    private static final class Counters {
        long read;
        long noConsent;
        Coverage coverage = new Coverage();

        Progress progress() {
            Map<String, Long> carried = new LinkedHashMap<>();
            coverage.rowsWithByIdentifier().forEach((identifier, rows) -> carried.put(identifier.name(), rows));
            return new Progress(read, coverage.rowsWritten(), noConsent, coverage.rowsSkipped(), coverage.invalidPhones(), carried);
        }
    }
}
