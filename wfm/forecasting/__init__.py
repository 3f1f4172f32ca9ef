"""Forecasting interval volume and handle time from history (`wfm forecast`, `wfm backtest`).

    grid      a queue's history as a local day × slot matrix; the future's interval starts (DST-aware)
    model     weekly level × day-of-week shape × intraday profile, AHT smoothing, baselines, NB intervals
    calendar  day-total factors of the business days around the turn of the month and after a holiday
    run       per queue, special days and outliers, the forecast CSV
    backtest  rolling-origin evaluation: WAPE, bias, interval coverage
    special   ``[forecast.special_days]`` of wfm.toml

numpy (and scipy.special for the interval's quantiles); imported only by the commands that forecast.
"""
