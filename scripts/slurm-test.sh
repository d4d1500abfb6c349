#!/usr/bin/env bash
# The SLURM recipe for real (run as root): a one-machine SLURM (scripts/slurm-local.sh), the smoke sweep
# submitted with `sbatch deploy/slurm/bitsweep.sbatch` on CPU workers, cancelled with `scancel` once some
# trials have completed, submitted again, and checked:
#   - the second job resumes from the journal and the sweep completes (every trial completed, report.html)
#   - trials completed before the scancel are not run again (same attempts, byte-identical result.json)
#   - each job ends by itself when its sweep ends (no job left in the queue)
# Usage: ./scripts/slurm-test.sh [SWEEP.yaml]   (default sweeps/mnist-smoke.yaml; MNIST via get-mnist.sh)
#        BITSWEEP_SLURM_TEST_SIMULATE=8000-12000 ./scripts/slurm-test.sh    the same with the simulated trainer
#        (trials of 8-12 s: the CI variant, a few minutes; the real trainer takes ~15 min on 2 busy cores)
# Leaves its files in $BITSWEEP_SLURM_TEST_DIR
# (default: a new temporary folder) and stops the SLURM daemons again if it started them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
sweep=${1:-sweeps/mnist-smoke.yaml}
work=${BITSWEEP_SLURM_TEST_DIR:-$(mktemp -d /tmp/bitsweep-slurm-test.XXXXXX)}
mkdir -p "$work"
results=$work/results
t0=$(date +%s)
say() { echo "slurm-test [$(( $(date +%s) - t0 ))s]: $*" >&2; }
die() { say "FAILED: $*"; for f in "$work"/job-*.out; do [ -f "$f" ] && { echo "---- $f" >&2; tail -40 "$f" >&2; }; done; exit 1; }

./scripts/get-mnist.sh >&2
started_slurm=0
if ! { [ -n "${SLURM_CONF:-}" ] && scontrol ping >/dev/null 2>&1; }; then
  eval "$(./scripts/slurm-local.sh start)"
  started_slurm=1
fi
cleanup() {
  if [ -n "${job:-}" ]; then scancel "$job" 2>/dev/null || true; fi
  if [ "$started_slurm" = 1 ]; then ./scripts/slurm-local.sh stop || true; fi
}
trap cleanup EXIT

# Build once before submitting (the job's first act would do it otherwise, inside its time).
./bitsweep --version >/dev/null

export BITSWEEP_RESULTS=$results BITSWEEP_CPU_WORKERS=${BITSWEEP_CPU_WORKERS:-2}
export BITSWEEP_SCRATCH=$work/scratch BITSWEEP_JAVA_OPTS=${BITSWEEP_JAVA_OPTS:--Xmx2g}
export DATA_DIR=$root/data
if [ -n "${BITSWEEP_SLURM_TEST_SIMULATE:-}" ]; then
  export BITSWEEP_WORKER_ARGS="--simulate $BITSWEEP_SLURM_TEST_SIMULATE"
fi

submit() {
  sbatch --parsable --output="$work/job-%j.out" deploy/slurm/bitsweep.sbatch "$sweep" --status-every 5s
}
in_queue() { [ -n "$(squeue -h -j "$1" -o %i 2>/dev/null)" ]; }
# one line per trial: "<trialId> <status> <attempts>" from the orchestrator's trials.jsonl (the supervisor
# appends changed trials: the last line of a trial id wins, at the place of its first)
trial_states() {
  [ -f "$results/trials.jsonl" ] || return 0
  sed -n 's/.*"trialId":"\([^"]*\)".*"status":"\([a-z]*\)","attempts":\([0-9]*\).*/\1 \2 \3/p' "$results/trials.jsonl" |
    awk '!($1 in last) { order[++n] = $1 } { last[$1] = $0 } END { for (i = 1; i <= n; i++) print last[order[i]] }'
}
count() { trial_states | awk -v s="$1" '$2 == s' | wc -l; }
job_exit() { scontrol show job "$1" 2>/dev/null | sed -n 's/.* ExitCode=\([0-9:]*\).*/\1/p' | head -1; }

# 1. first job: wait for at least two completed trials, then scancel it mid-sweep
job=$(submit)
say "submitted job $job ($sweep${BITSWEEP_WORKER_ARGS:+, workers $BITSWEEP_WORKER_ARGS}, results $results)"
while [ "$(count completed)" -lt 2 ]; do
  in_queue "$job" || die "job $job ended before two trials completed"
  sleep 2
done
trial_states | awk '$2 == "completed"' > "$work/completed-before.txt"
total=$(trial_states | wc -l)
say "$(wc -l < "$work/completed-before.txt") of $total trials completed, $(count running) running: scancel $job"
while read -r id _ _; do sha256sum "$results/trials/$id/result.json"; done < "$work/completed-before.txt" > "$work/results-before.sha256"
scancel "$job"
while in_queue "$job"; do sleep 2; done
say "job $job gone after scancel"
first_job=$job

# 2. second job on the same results folder: resumes, completes, ends by itself
job=$(submit)
say "resubmitted as job $job"
while in_queue "$job"; do sleep 5; done
say "job $job ended by itself, exit code $(job_exit "$job")"
out=$work/job-$job.out
[ "$(job_exit "$job")" = "0:0" ] || die "job $job exit code $(job_exit "$job") (expected 0:0)"
grep -q "resuming the sweep in $results" "$out" || die "job $job did not resume from the journal (no 'resuming the sweep' line in $out)"
grep -q "orchestrator exited with status 0" "$out" || die "no clean orchestrator exit in $out"
[ "$(count completed)" = "$total" ] || die "$(count completed) of $total trials completed: $(trial_states | tr '\n' ';')"
while read -r id _ attempts; do
  now=$(trial_states | awk -v i="$id" '$1 == i {print $3}')
  [ "$now" = "$attempts" ] || die "trial $id completed before the scancel but has $now attempts now (was $attempts): it ran again"
done < "$work/completed-before.txt"
sha256sum --quiet -c "$work/results-before.sha256" || die "a result.json of a trial completed before the scancel changed"
[ -f "$results/report.html" ] || die "no report.html in $results"
say "PASSED: $total trials completed over jobs $first_job (scancelled) and $job (resumed);" \
    "$(wc -l < "$work/completed-before.txt") completed before the scancel kept their attempts and result.json; total $(( $(date +%s) - t0 ))s"
job=
