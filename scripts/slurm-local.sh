#!/usr/bin/env bash
# A one-machine SLURM cluster for trying and testing deploy/slurm/bitsweep.sbatch (run as root):
#   eval "$(./scripts/slurm-local.sh start)"    installs Debian's slurm-wlm + munge if missing, writes a
#                                               slurm.conf with this machine as its only node, starts munged,
#                                               slurmctld and slurmd; prints `export SLURM_CONF=…`
#   ./scripts/slurm-local.sh stop               stops the three daemons it started (by their pid files)
# Everything lives in $BITSWEEP_SLURM_DIR (default /var/tmp/bitsweep-slurm): config, state, logs, pid files.
# /etc/slurm is not touched, so a real SLURM installation on the machine is left alone. Everything but the
# export goes to stderr.
set -euo pipefail
dir=${BITSWEEP_SLURM_DIR:-/var/tmp/bitsweep-slurm}
conf=$dir/slurm.conf
munge_pid=$dir/munged.pid

log() { echo "slurm-local: $*" >&2; }

stop_pidfile() {
  local file=$1 name=$2 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then log "$name (pid $pid) did not stop in 10 s"; return 1; fi
    log "stopped $name (pid $pid)"
  fi
  rm -f "$file"
}

wait_for() {
  local what=$1; shift
  for _ in $(seq 60); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  log "$what did not come up in 30 s; its log: $dir/$what.log"; tail -20 "$dir/$what.log" >&2 || true
  return 1
}

start() {
  if [ "$(id -u)" != 0 ]; then log "run as root (it starts slurmctld/slurmd as root)"; exit 1; fi
  if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    log "installing slurm-wlm and munge"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >&2
  fi
  mkdir -p "$dir"/{state,spool,munge}
  chown munge:munge "$dir/munge"
  local node
  node=$(hostname -s)
  # this node's CPUs, sockets, cores and memory as slurmd itself detects them
  local hw
  hw=$(slurmd -C | head -1 | sed 's/^NodeName=[^ ]* //; s/UpTime=.*//')
  cat > "$conf.tmp" <<EOF
# written by scripts/slurm-local.sh: one node ($node), for trying deploy/slurm/bitsweep.sbatch
ClusterName=bitsweep-local
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldPort=${BITSWEEP_SLURMCTLD_PORT:-6817}
SlurmdPort=${BITSWEEP_SLURMD_PORT:-6818}
# containers and CI machines often lack a writable cgroup hierarchy: track processes by parent pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
KillWait=30
SlurmdTimeout=300
NodeName=$node $hw State=UNKNOWN
PartitionName=local Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
  mv "$conf.tmp" "$conf"
  if ! { [ -f "$munge_pid" ] && kill -0 "$(cat "$munge_pid")" 2>/dev/null; }; then
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge
    [ -s /etc/munge/munge.key ] || { runuser -u munge -- mungekey --create >&2 || true; }
    # --force: a socket left by an earlier munged that was killed is taken over
    runuser -u munge -- /usr/sbin/munged --force --pid-file="$dir/munge/munged.pid" >&2
    cp "$dir/munge/munged.pid" "$munge_pid" 2>/dev/null || sleep 0.5
    cp "$dir/munge/munged.pid" "$munge_pid"
  fi
  wait_for munge sh -c 'munge -n | unmunge'
  if ! { [ -f "$dir/slurmctld.pid" ] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null; }; then
    slurmctld -f "$conf"
  fi
  wait_for slurmctld env SLURM_CONF="$conf" scontrol ping
  if ! { [ -f "$dir/slurmd.pid" ] && kill -0 "$(cat "$dir/slurmd.pid")" 2>/dev/null; }; then
    slurmd -f "$conf"
  fi
  # the node is usable once it is idle (or already running something of ours)
  wait_for slurmd sh -c "SLURM_CONF='$conf' sinfo -h -N -o %t | grep -Eq '^(idle|mix|alloc)'"
  log "up: node $node ($hw), partition local; config $conf"
  echo "export SLURM_CONF=$conf"
}

stop() {
  stop_pidfile "$dir/slurmd.pid" slurmd
  stop_pidfile "$dir/slurmctld.pid" slurmctld
  stop_pidfile "$munge_pid" munged
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
