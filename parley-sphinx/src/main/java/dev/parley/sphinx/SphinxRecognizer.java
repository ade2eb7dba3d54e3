package dev.parley.sphinx;

import dev.parley.ParleyException;
import edu.cmu.sphinx.decoder.ResultListener;
import edu.cmu.sphinx.frontend.FrontEnd;
import edu.cmu.sphinx.frontend.Signal;
import edu.cmu.sphinx.frontend.endpoint.SpeechMarker;
import edu.cmu.sphinx.frontend.util.StreamDataSource;
import edu.cmu.sphinx.recognizer.Recognizer;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.util.props.ConfigurationManager;
import edu.cmu.sphinx.util.props.PropertySheet;
import java.io.InputStream;
import java.net.URL;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * One allocated Sphinx4 recogniser (acoustic model, dictionary, search graph, frontend). Sphinx4's
 * acoustic scorer caches per-frame scores inside the shared senones, so a recogniser can decode only
 * one stream at a time; {@link RecognizerPool} hands them out. Reused across streams without
 * re-allocation: only the input stream is swapped.
 */
final class SphinxRecognizer {
    /** Receives what the recogniser reports while it decodes a stream (called on the decoding thread). */
    interface Session {
        void partial(Result result);

        void signal(Signal signal);
    }

    static final String CONFIG_FILE = "parley-sphinx.xml";
    private static final Object LOGGING_LOCK = new Object();

    private final Recognizer recognizer;
    private final StreamDataSource source;
    private final SpeechMarker marker;
    private volatile @Nullable Session session;

    SphinxRecognizer(URL config) {
        try {
            ConfigurationManager cm;
            synchronized (LOGGING_LOCK) {
                cm = new ConfigurationManager(config);
                bridgeLogging();
            }
            recognizer = cm.lookup("recognizer");
            FrontEnd frontEnd = cm.lookup("frontEnd");
            source = cm.lookup("dataSource");
            marker = cm.lookup("speechMarker");
            recognizer.allocate();
            recognizer.addResultListener(new Partials());
            frontEnd.addSignalListener(s -> {
                Session current = session;
                if (current != null) {
                    current.signal(s);
                }
            });
        } catch (RuntimeException e) {
            throw new ParleyException("cannot create the Sphinx4 recogniser: " + e.getMessage(), e);
        }
    }

    /** Starts decoding a new stream: the next {@link #recognize()} reads from {@code in}. */
    void attach(InputStream in, Session session) {
        this.session = session;
        source.setInputStream(in);
    }

    void detach() {
        session = null;
    }

    /** Decodes up to the next utterance end (or data end); null when the stream is exhausted. */
    @Nullable Result recognize() {
        return recognizer.recognize();
    }

    /** Whether the endpointer is inside an utterance. Read on the decoding thread only. */
    boolean inSpeech() {
        return marker.inSpeech();
    }

    void deallocate() {
        try {
            recognizer.deallocate();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(SphinxRecognizer.class).debug("deallocate failed", e);
        }
    }

    private final class Partials implements ResultListener {
        @Override
        public void newResult(Result result) {
            Session current = session;
            if (current != null && !result.isFinal()) {
                current.partial(result);
            }
        }

        @Override
        public void newProperties(PropertySheet ps) {}
    }

    /**
     * Sphinx4 installs a console handler on the logger named after the config file; replace it by
     * one that forwards warnings to SLF4J so nothing reaches stderr directly.
     */
    private static void bridgeLogging() {
        Logger jul = Logger.getLogger(CONFIG_FILE.replace(".xml", ""));
        jul.setLevel(Level.WARNING);
        jul.setUseParentHandlers(false);
        boolean bridged = false;
        for (Handler h : jul.getHandlers()) {
            if (h instanceof Slf4jHandler) {
                bridged = true;
            } else {
                jul.removeHandler(h);
            }
        }
        if (!bridged) {
            jul.addHandler(new Slf4jHandler());
        }
    }

    private static final class Slf4jHandler extends Handler {
        private final org.slf4j.Logger log = LoggerFactory.getLogger("edu.cmu.sphinx");

        @Override
        public void publish(LogRecord record) {
            int level = record.getLevel().intValue();
            if (level >= Level.SEVERE.intValue()) {
                log.error("{}: {}", record.getLoggerName(), record.getMessage());
            } else if (level >= Level.WARNING.intValue()) {
                log.warn("{}: {}", record.getLoggerName(), record.getMessage());
            } else {
                log.debug("{}: {}", record.getLoggerName(), record.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
