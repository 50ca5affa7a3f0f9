# The reference server as an image: nothing but its static binary.
#
#   make image                  # builds bin/refserver, then this file, as morcheck/refserver:dev
#   docker run --rm -p 127.0.0.1:8080:8080 morcheck/refserver:dev
#   morcheck run against http://127.0.0.1:8080/billing
#
# FROM scratch needs no base image and no registry. The binary is built on
# the host (CGO_ENABLED=0, see the Makefile's refserver target); bin/data is
# the empty directory make image creates, so /data belongs to the server's
# user (scratch has no mkdir). Extra arguments after the image name are
# appended to the entrypoint's flags and win over them, e.g. -db :memory: or
# -fixtures /fixtures/other.yaml with a mounted profile.
FROM scratch

COPY bin/refserver /refserver
# The default world, also embedded in the binary: a profile to read or copy.
COPY fixtures/default.yaml /fixtures/default.yaml
COPY --chown=65532:65532 bin/data /data

USER 65532:65532
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["/refserver", "-addr", "0.0.0.0:8080", "-db", "/data/refserver.db"]
