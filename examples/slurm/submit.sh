#!/bin/sh
# examples/slurm/submit.sh — submits a union's month: one array task per line of banks.txt,
# then the rollup once they have all succeeded. Run from the shared folder that holds
# banks.txt and archives/:   MONTH=2026-10 UNION_NAME=镇江市农商行联合汇总 sh submit.sh
set -e
here=$(dirname "$0")
n=$(grep -c . banks.txt)
mkdir -p logs
jobid=$(sbatch --parsable --export=ALL --array="1-$n" "$here/bank.sbatch")
sbatch --export=ALL --dependency="afterok:$jobid" "$here/rollup.sbatch"
