-- Demo data for payroll (runs after seed_ledger.sql, as a superuser).
-- Payroll operators pay1 and pay2 (ACME and GLOBEX) and pay3 (GLOBEX only);
-- the shipped statutory packs (the text of sql/packs/ph_2025.csv and
-- us_2025.csv, byte for byte: db.test_payroll checks it); ACME's payroll
-- accounts, its components and about fifty employees paid monthly, this
-- month's inputs, and this month's regular run computed by pay1 and
-- submitted, waiting for pay2's approval (one employee has no bank account,
-- one left this month: the register flags both).

SELECT core.operator_add('pay1', 'Paz Payroll', 'payroll', '{ACME,GLOBEX}');
SELECT core.operator_add('pay2', 'Quentin Payroll', 'payroll', '{ACME,GLOBEX}');
SELECT core.operator_add('pay3', 'Rita Payroll', 'payroll', '{GLOBEX}');

SELECT payroll.pack_load_csv('sql/packs/ph_2025.csv', $pack$record,code,name,version,country,effective_from,class,method,step,amount,rate,rate_of,divisor,input_code,base,floor,ceiling,basis,ytd_from,ytd_to,table_name,table_column,taxable,exempt_ytd,agency,run_kinds,pay_group,variant,lo,fixed,credit,ee,er,exempt_value,base_fields,credit_field,extra_field,variant_field,kind
pack,PH,Philippines statutory 2025,3,PH,2025-01-01,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
#,,BIR withholding tax on compensation: revised tables effective January 1 2023 and onwards (RR 11-2018 Annex E as amended by TRAIN; https://www.scribd.com/document/523165124/Annex-E-RR-11-2018),,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
#,,SSS 2025: 15% of the monthly salary credit (ER 10% EE 5%) MSC 5000..35000 in steps of 500; EC 10 below MSC 15000 and 30 from it (https://taxcalculatorphilippines.com/sss-contribution-table-employees-employers),,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
#,,PhilHealth 2025: 5% of monthly basic salary floor 10000 ceiling 100000 shared equally (PhilHealth Advisory 2025-0002; https://malaya.com.ph/news/national-news/philhealth-premium-rate-stays-at-5/),,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
#,,Pag-IBIG (HDMF Circular 460 section C; https://studylib.net/doc/27341129/ and https://gppcpas.com.ph/2024/01/): monthly fund salary 1500 and below employee 1% employer 2%; over 1500 2% each; maximum fund salary 10000 from February 2024 (at most 200 each),,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
#,,  Pag-IBIG employee share as table HDMF (brackets: fixed + rate x the excess over lo): 1% from 0; over 1500 (from the centavo above: 1500.01) 2% of the whole = 30.0002 + 2% of the excess; version 2 adds the 1% band version 1 lacked,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
#,,13th month pay: basic salary of the year / 12 (PD 851),,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
#,,  13th month pay and other benefits are exempt up to a ceiling a year (NIRC sec. 32(B)(7)(e) as amended by TRAIN RA 10963; RR 11-2018 sec. 2.78.1(B)(7)(e)): 90000 from 2018 (82000 from 2015 under RA 10653); value BENEFITS_EXEMPT; every earning naming it shares the one ceiling; the excess is taxable compensation of the run that pays it,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
#,,  withholding tax on the pay period (basis paid_period): a 13th-month or off-cycle run is taxed with the final runs of its period (the tax of their taxable pay and its own less what they withheld); version 2 taxed the excess alone and withheld nothing on most of it,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
value,BENEFITS_EXEMPT,13th month and other benefits exempt a year,,,2015-01-01,,,,82000,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
value,BENEFITS_EXEMPT,13th month and other benefits exempt a year,,,2018-01-01,,,,90000,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
component,THIRTEENTH,13th month pay,,,,earning,percent,5,,1,,12,,BASIC,,,ytd,,,,,true,,,thirteenth,,,,,,,,BENEFITS_EXEMPT,,,,,
component,SSS_EE,SSS contribution,,,,deduction,range,10,,,,,,BASIC,,,monthly,,,SSS,ee,true,,SSS,regular,,,,,,,,,,,,,
component,SSS_ER,SSS employer share,,,,employer,range,10,,,,,,BASIC,,,monthly,,,SSS,er,,,SSS,regular,,,,,,,,,,,,,
component,SSS_EC,SSS employees compensation,,,,employer,range,10,,,,,,BASIC,,,monthly,,,SSS_EC,er,,,SSS,regular,,,,,,,,,,,,,
component,PHIC_EE,PhilHealth contribution,,,,deduction,percent,10,,0.025,,,,BASIC,10000,100000,monthly,,,,,true,,PHILHEALTH,regular,,,,,,,,,,,,,
component,PHIC_ER,PhilHealth employer share,,,,employer,percent,10,,0.025,,,,BASIC,10000,100000,monthly,,,,,,,PHILHEALTH,regular,,,,,,,,,,,,,
component,HDMF_EE,Pag-IBIG contribution,,,,deduction,brackets,10,,,,,,BASIC,,10000,monthly,,,HDMF,,true,,PAGIBIG,regular,,,,,,,,,,,,,
component,HDMF_ER,Pag-IBIG employer share,,,,employer,percent,10,,0.02,,,,BASIC,,10000,monthly,,,,,,,PAGIBIG,regular,,,,,,,,,,,,,
component,WTAX,Withholding tax,,,,deduction,brackets,20,,,,,,@taxable,,,paid_period,,,BIR,,,,BIR,regular offcycle thirteenth,,,,,,,,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,0,,5000,250.00,500.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,5250,,5500,275.00,550.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,5750,,6000,300.00,600.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,6250,,6500,325.00,650.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,6750,,7000,350.00,700.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,7250,,7500,375.00,750.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,7750,,8000,400.00,800.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,8250,,8500,425.00,850.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,8750,,9000,450.00,900.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,9250,,9500,475.00,950.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,9750,,10000,500.00,1000.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,10250,,10500,525.00,1050.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,10750,,11000,550.00,1100.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,11250,,11500,575.00,1150.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,11750,,12000,600.00,1200.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,12250,,12500,625.00,1250.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,12750,,13000,650.00,1300.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,13250,,13500,675.00,1350.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,13750,,14000,700.00,1400.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,14250,,14500,725.00,1450.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,14750,,15000,750.00,1500.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,15250,,15500,775.00,1550.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,15750,,16000,800.00,1600.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,16250,,16500,825.00,1650.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,16750,,17000,850.00,1700.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,17250,,17500,875.00,1750.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,17750,,18000,900.00,1800.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,18250,,18500,925.00,1850.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,18750,,19000,950.00,1900.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,19250,,19500,975.00,1950.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,19750,,20000,1000.00,2000.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,20250,,20500,1025.00,2050.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,20750,,21000,1050.00,2100.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,21250,,21500,1075.00,2150.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,21750,,22000,1100.00,2200.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,22250,,22500,1125.00,2250.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,22750,,23000,1150.00,2300.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,23250,,23500,1175.00,2350.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,23750,,24000,1200.00,2400.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,24250,,24500,1225.00,2450.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,24750,,25000,1250.00,2500.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,25250,,25500,1275.00,2550.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,25750,,26000,1300.00,2600.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,26250,,26500,1325.00,2650.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,26750,,27000,1350.00,2700.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,27250,,27500,1375.00,2750.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,27750,,28000,1400.00,2800.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,28250,,28500,1425.00,2850.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,28750,,29000,1450.00,2900.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,29250,,29500,1475.00,2950.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,29750,,30000,1500.00,3000.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,30250,,30500,1525.00,3050.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,30750,,31000,1550.00,3100.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,31250,,31500,1575.00,3150.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,31750,,32000,1600.00,3200.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,32250,,32500,1625.00,3250.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,32750,,33000,1650.00,3300.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,33250,,33500,1675.00,3350.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,33750,,34000,1700.00,3400.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,34250,,34500,1725.00,3450.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS,,,,,,,,34750,,35000,1750.00,3500.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS_EC,,,,,,,,0,,5000,,10.00,,,,,,
row,,,,,,,,,,,,,,,,,,,,SSS_EC,,,,,,,,14750,,15000,,30.00,,,,,,
row,,,,,,,,,,0.01,,,,,,,,,,HDMF,,,,,,monthly,,0,0,,,,,,,,,
row,,,,,,,,,,0.02,,,,,,,,,,HDMF,,,,,,monthly,,1500.01,30.0002,,,,,,,,,
row,,,,,,,,,,0,,,,,,,,,,BIR,,,,,,monthly,,0,0,,,,,,,,,
row,,,,,,,,,,0.15,,,,,,,,,,BIR,,,,,,monthly,,20833,0,,,,,,,,,
row,,,,,,,,,,0.20,,,,,,,,,,BIR,,,,,,monthly,,33333,1875.00,,,,,,,,,
row,,,,,,,,,,0.25,,,,,,,,,,BIR,,,,,,monthly,,66667,8541.80,,,,,,,,,
row,,,,,,,,,,0.30,,,,,,,,,,BIR,,,,,,monthly,,166667,33541.80,,,,,,,,,
row,,,,,,,,,,0.35,,,,,,,,,,BIR,,,,,,monthly,,666667,183541.80,,,,,,,,,
row,,,,,,,,,,0,,,,,,,,,,BIR,,,,,,semi_monthly,,0,0,,,,,,,,,
row,,,,,,,,,,0.15,,,,,,,,,,BIR,,,,,,semi_monthly,,10417,0,,,,,,,,,
row,,,,,,,,,,0.20,,,,,,,,,,BIR,,,,,,semi_monthly,,16667,937.50,,,,,,,,,
row,,,,,,,,,,0.25,,,,,,,,,,BIR,,,,,,semi_monthly,,33333,4270.70,,,,,,,,,
row,,,,,,,,,,0.30,,,,,,,,,,BIR,,,,,,semi_monthly,,83333,16770.70,,,,,,,,,
row,,,,,,,,,,0.35,,,,,,,,,,BIR,,,,,,semi_monthly,,333333,91770.70,,,,,,,,,
row,,,,,,,,,,0,,,,,,,,,,BIR,,,,,,weekly,,0,0,,,,,,,,,
row,,,,,,,,,,0.15,,,,,,,,,,BIR,,,,,,weekly,,4808,0,,,,,,,,,
row,,,,,,,,,,0.20,,,,,,,,,,BIR,,,,,,weekly,,7692,432.60,,,,,,,,,
row,,,,,,,,,,0.25,,,,,,,,,,BIR,,,,,,weekly,,15385,1971.20,,,,,,,,,
row,,,,,,,,,,0.30,,,,,,,,,,BIR,,,,,,weekly,,38462,7740.45,,,,,,,,,
row,,,,,,,,,,0.35,,,,,,,,,,BIR,,,,,,weekly,,153846,42355.65,,,,,,,,,
$pack$);
SELECT payroll.pack_load_csv('sql/packs/us_2025.csv', $pack$record,code,name,version,country,effective_from,class,method,step,amount,rate,rate_of,divisor,input_code,base,floor,ceiling,basis,ytd_from,ytd_to,table_name,table_column,taxable,exempt_ytd,agency,run_kinds,pay_group,variant,lo,fixed,credit,ee,er,exempt_value,base_fields,credit_field,extra_field,variant_field,kind
pack,US,United States federal 2025,3,US,2025-01-01,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
#,,Federal income tax withholding: IRS Publication 15-T (2025) section 1: Worksheet 1A and the STANDARD Withholding Rate Schedules of the 2025 Percentage Method Tables for Automated Payroll Systems (Forms W-4 2020 or later; https://www.irs.gov/pub/irs-pdf/p15t.pdf),,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
#,,  Worksheet 1A takes line 1g (Step 2 box not checked: 12900 married filing jointly; 8600 otherwise) off the annual wage (line 1i) before the table: each row's lo here is the table's 'at least' plus that amount (the same tax: fixed + rate x (wage - 1g - at least)); the fixed and rate columns are the table's,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
#,,  so single 15000 26925 63475 118350 212300 265525 641350 = 15-T 6400 18325 54875 109750 203700 256925 632750 + 8600; married 30000 53850 126950 236700 424600 531050 781600 = 17100 40950 114050 223800 411700 518150 768700 + 12900; head 22500 39500 87350 125850 219800 273000 648850 = 13900 30900 78750 117250 211200 264400 640250 + 8600 (= Rev. Proc. 2024-40 brackets + the 2025 standard deduction 15000/30000/22500). Version 1 lacked line 1g and over-withheld,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
#,,Form W-4 (2020 or later) steps 2 to 4 (Pub. 15-T 2025 Worksheet 1A): the employee tax fields below (backdesk payroll field CLIENT NUMBER FIELD VALUE); FIT adds W4_4A and subtracts W4_4B on its annual basis (lines 1d and 1f); takes W4_STEP3 off the annual tax not below zero (lines 3a to 3c: the same as 3b per period); adds W4_4C to each period (line 4a); with W4_STEP2 set it looks up the variant status+W4_STEP2 (line 1g is zero),,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
#,,  the Form W-4 Step 2 Checkbox Withholding Rate Schedules of the 2025 Annual Percentage Method table (Pub. 15-T 2025 section 1; https://www.irs.gov/pub/irs-pdf/p15t.pdf) as printed (no line 1g to add): half the 2025 brackets (Rev. Proc. 2024-40) plus half the standard deduction,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
field,W4_STEP2,W-4 step 2: multiple jobs box checked,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,flag
field,W4_STEP3,W-4 step 3: credits a year,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,amount
field,W4_4A,W-4 step 4(a): other income a year,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,amount
field,W4_4B,W-4 step 4(b): deductions a year,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,amount
field,W4_4C,W-4 step 4(c): extra withholding a period,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,amount
#,,Social Security 6.2% each to the 2025 wage base 176100; Medicare 1.45% each; Additional Medicare 0.9% employee only on wages over 200000 (https://taxnews.ey.com/news/2024-1870-social-security-wage-base-to-increase-in-2025),,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
component,SS_EE,Social Security tax,,,,deduction,percent,10,,0.062,,,,@gross,,,,,176100,,,,,IRS,,,,,,,,,,,,,,
component,SS_ER,Social Security employer,,,,employer,percent,10,,0.062,,,,@gross,,,,,176100,,,,,IRS,,,,,,,,,,,,,,
component,MED_EE,Medicare tax,,,,deduction,percent,10,,0.0145,,,,@gross,,,,,,,,,,IRS,,,,,,,,,,,,,,
component,MED_ER,Medicare employer,,,,employer,percent,10,,0.0145,,,,@gross,,,,,,,,,,IRS,,,,,,,,,,,,,,
component,MED_ADD,Additional Medicare tax,,,,deduction,percent,10,,0.009,,,,@gross,,,,200000,,,,,,IRS,,,,,,,,,,,,,,
component,FIT,Federal income tax,,,,deduction,brackets,20,,,,,,@taxable,,,annual,,,FIT,,,,IRS,,,,,,,,,,W4_4A -W4_4B,W4_STEP3,W4_4C,W4_STEP2,
row,,,,,,,,,,0,,,,,,,,,,FIT,,,,,,annual,single,0,0,,,,,,,,,
row,,,,,,,,,,0.10,,,,,,,,,,FIT,,,,,,annual,single,15000,0,,,,,,,,,
row,,,,,,,,,,0.12,,,,,,,,,,FIT,,,,,,annual,single,26925,1192.50,,,,,,,,,
row,,,,,,,,,,0.22,,,,,,,,,,FIT,,,,,,annual,single,63475,5578.50,,,,,,,,,
row,,,,,,,,,,0.24,,,,,,,,,,FIT,,,,,,annual,single,118350,17651.00,,,,,,,,,
row,,,,,,,,,,0.32,,,,,,,,,,FIT,,,,,,annual,single,212300,40199.00,,,,,,,,,
row,,,,,,,,,,0.35,,,,,,,,,,FIT,,,,,,annual,single,265525,57231.00,,,,,,,,,
row,,,,,,,,,,0.37,,,,,,,,,,FIT,,,,,,annual,single,641350,188769.75,,,,,,,,,
row,,,,,,,,,,0,,,,,,,,,,FIT,,,,,,annual,married,0,0,,,,,,,,,
row,,,,,,,,,,0.10,,,,,,,,,,FIT,,,,,,annual,married,30000,0,,,,,,,,,
row,,,,,,,,,,0.12,,,,,,,,,,FIT,,,,,,annual,married,53850,2385.00,,,,,,,,,
row,,,,,,,,,,0.22,,,,,,,,,,FIT,,,,,,annual,married,126950,11157.00,,,,,,,,,
row,,,,,,,,,,0.24,,,,,,,,,,FIT,,,,,,annual,married,236700,35302.00,,,,,,,,,
row,,,,,,,,,,0.32,,,,,,,,,,FIT,,,,,,annual,married,424600,80398.00,,,,,,,,,
row,,,,,,,,,,0.35,,,,,,,,,,FIT,,,,,,annual,married,531050,114462.00,,,,,,,,,
row,,,,,,,,,,0.37,,,,,,,,,,FIT,,,,,,annual,married,781600,202154.50,,,,,,,,,
row,,,,,,,,,,0,,,,,,,,,,FIT,,,,,,annual,head,0,0,,,,,,,,,
row,,,,,,,,,,0.10,,,,,,,,,,FIT,,,,,,annual,head,22500,0,,,,,,,,,
row,,,,,,,,,,0.12,,,,,,,,,,FIT,,,,,,annual,head,39500,1700.00,,,,,,,,,
row,,,,,,,,,,0.22,,,,,,,,,,FIT,,,,,,annual,head,87350,7442.00,,,,,,,,,
row,,,,,,,,,,0.24,,,,,,,,,,FIT,,,,,,annual,head,125850,15912.00,,,,,,,,,
row,,,,,,,,,,0.32,,,,,,,,,,FIT,,,,,,annual,head,219800,38460.00,,,,,,,,,
row,,,,,,,,,,0.35,,,,,,,,,,FIT,,,,,,annual,head,273000,55484.00,,,,,,,,,
row,,,,,,,,,,0.37,,,,,,,,,,FIT,,,,,,annual,head,648850,187031.50,,,,,,,,,
row,,,,,,,,,,0,,,,,,,,,,FIT,,,,,,annual,single+W4_STEP2,0,0,,,,,,,,,
row,,,,,,,,,,0.10,,,,,,,,,,FIT,,,,,,annual,single+W4_STEP2,7500,0,,,,,,,,,
row,,,,,,,,,,0.12,,,,,,,,,,FIT,,,,,,annual,single+W4_STEP2,13463,596.25,,,,,,,,,
row,,,,,,,,,,0.22,,,,,,,,,,FIT,,,,,,annual,single+W4_STEP2,31738,2789.25,,,,,,,,,
row,,,,,,,,,,0.24,,,,,,,,,,FIT,,,,,,annual,single+W4_STEP2,59175,8825.50,,,,,,,,,
row,,,,,,,,,,0.32,,,,,,,,,,FIT,,,,,,annual,single+W4_STEP2,106150,20099.50,,,,,,,,,
row,,,,,,,,,,0.35,,,,,,,,,,FIT,,,,,,annual,single+W4_STEP2,132763,28615.50,,,,,,,,,
row,,,,,,,,,,0.37,,,,,,,,,,FIT,,,,,,annual,single+W4_STEP2,320675,94384.88,,,,,,,,,
row,,,,,,,,,,0,,,,,,,,,,FIT,,,,,,annual,married+W4_STEP2,0,0,,,,,,,,,
row,,,,,,,,,,0.10,,,,,,,,,,FIT,,,,,,annual,married+W4_STEP2,15000,0,,,,,,,,,
row,,,,,,,,,,0.12,,,,,,,,,,FIT,,,,,,annual,married+W4_STEP2,26925,1192.50,,,,,,,,,
row,,,,,,,,,,0.22,,,,,,,,,,FIT,,,,,,annual,married+W4_STEP2,63475,5578.50,,,,,,,,,
row,,,,,,,,,,0.24,,,,,,,,,,FIT,,,,,,annual,married+W4_STEP2,118350,17651.00,,,,,,,,,
row,,,,,,,,,,0.32,,,,,,,,,,FIT,,,,,,annual,married+W4_STEP2,212300,40199.00,,,,,,,,,
row,,,,,,,,,,0.35,,,,,,,,,,FIT,,,,,,annual,married+W4_STEP2,265525,57231.00,,,,,,,,,
row,,,,,,,,,,0.37,,,,,,,,,,FIT,,,,,,annual,married+W4_STEP2,390800,101077.25,,,,,,,,,
row,,,,,,,,,,0,,,,,,,,,,FIT,,,,,,annual,head+W4_STEP2,0,0,,,,,,,,,
row,,,,,,,,,,0.10,,,,,,,,,,FIT,,,,,,annual,head+W4_STEP2,11250,0,,,,,,,,,
row,,,,,,,,,,0.12,,,,,,,,,,FIT,,,,,,annual,head+W4_STEP2,19750,850.00,,,,,,,,,
row,,,,,,,,,,0.22,,,,,,,,,,FIT,,,,,,annual,head+W4_STEP2,43675,3721.00,,,,,,,,,
row,,,,,,,,,,0.24,,,,,,,,,,FIT,,,,,,annual,head+W4_STEP2,62925,7956.00,,,,,,,,,
row,,,,,,,,,,0.32,,,,,,,,,,FIT,,,,,,annual,head+W4_STEP2,109900,19230.00,,,,,,,,,
row,,,,,,,,,,0.35,,,,,,,,,,FIT,,,,,,annual,head+W4_STEP2,136500,27742.00,,,,,,,,,
row,,,,,,,,,,0.37,,,,,,,,,,FIT,,,,,,annual,head+W4_STEP2,324425,93515.75,,,,,,,,,
$pack$);

SET SESSION AUTHORIZATION acct1;
DO $seed$
DECLARE
	cl text;
	a record;
BEGIN
	FOREACH cl IN ARRAY ARRAY['ACME', 'GLOBEX'] LOOP
		FOR a IN SELECT * FROM (VALUES
			('2310', 'Net pay payable', 'liability', '2000'),
			('2320', 'SSS payable', 'liability', '2000'),
			('2330', 'PhilHealth payable', 'liability', '2000'),
			('2340', 'Pag-IBIG payable', 'liability', '2000'),
			('2350', 'Withholding tax payable', 'liability', '2000'),
			('2360', 'Federal payroll taxes payable', 'liability', '2000'),
			('1250', 'Employee loans', 'asset', '1000'),
			('5210', 'Employer contributions', 'expense', '5000'),
			('5220', 'Overtime', 'expense', '5000')) v(code, name, type, parent)
		LOOP
			PERFORM ledger.account_add(cl, a.code, a.name, a.type, a.parent);
		END LOOP;
	END LOOP;
END
$seed$;
RESET SESSION AUTHORIZATION;

SET SESSION AUTHORIZATION pay1;
DO $seed$
DECLARE
	cl text;
	m date := date_trunc('month', current_date)::date;
	v_run bigint;
	v_version bigint;
BEGIN
	FOREACH cl IN ARRAY ARRAY['ACME', 'GLOBEX'] LOOP
		PERFORM payroll.settings_set(cl, '2310', '5200', '5210', 20,
					     CASE cl WHEN 'ACME' THEN 'PHP' ELSE 'USD' END);
		PERFORM payroll.agency_account_set(cl, 'SSS', '2320');
		PERFORM payroll.agency_account_set(cl, 'PHILHEALTH', '2330');
		PERFORM payroll.agency_account_set(cl, 'PAGIBIG', '2340');
		PERFORM payroll.agency_account_set(cl, 'BIR', '2350');
		PERFORM payroll.agency_account_set(cl, 'IRS', '2360');
		PERFORM payroll.import_components(cl, 'seed', jsonb_build_array(
			jsonb_build_object('_line', 2, 'code', 'BASIC', 'name', 'Basic salary',
				'class', 'earning', 'method', 'salary', 'step', '1', 'taxable', 'true',
				'input_code', 'DAYS', 'effective_from', '2020-01-01'),
			jsonb_build_object('_line', 3, 'code', 'RICE', 'name', 'Rice subsidy',
				'class', 'earning', 'method', 'fixed', 'step', '1', 'amount', '2000',
				'effective_from', '2020-01-01'),
			jsonb_build_object('_line', 4, 'code', 'OT', 'name', 'Overtime',
				'class', 'earning', 'method', 'rate_qty', 'step', '2', 'rate', '1.25',
				'rate_of', 'hourly', 'input_code', 'OT_HOURS', 'taxable', 'true',
				'expense_account', '5220', 'effective_from', '2020-01-01'),
			jsonb_build_object('_line', 5, 'code', 'ABSENT', 'name', 'Absences',
				'class', 'deduction', 'method', 'rate_qty', 'step', '2', 'rate', '1',
				'rate_of', 'daily', 'input_code', 'ABSENT_DAYS', 'taxable', 'true',
				'liability_account', '5200', 'effective_from', '2020-01-01'),
			jsonb_build_object('_line', 6, 'code', 'BONUS', 'name', 'One-off bonus',
				'class', 'earning', 'method', 'fixed', 'step', '2', 'input_code', 'BONUS',
				'taxable', 'true', 'run_kinds', 'regular offcycle',
				'effective_from', '2020-01-01'),
			jsonb_build_object('_line', 7, 'code', 'LOAN', 'name', 'Loan repayment',
				'class', 'deduction', 'method', 'fixed', 'step', '30', 'input_code', 'LOAN',
				'liability_account', '1250', 'effective_from', '2020-01-01')));
	END LOOP;

	PERFORM payroll.import_employees('ACME', 'seed', (
		SELECT jsonb_agg(jsonb_build_object(
			'_line', i + 1, 'number', format('E%s', 1000 + i),
			'name', (ARRAY['Maria Santos', 'José Reyes', 'Ana Cruz', 'Juan dela Cruz',
				       'Liza Bautista', 'Marco Ocampo', 'Grace Villanueva',
				       'Ramon Garcia', 'Nina Mendoza', 'Paolo Aquino'])[1 + i % 10]
				|| ' ' || chr(65 + i % 26) || '.',
			'hire_date', (date '2019-01-07' + i * 37)::text,
			'leave_date', CASE WHEN i = 7 THEN (m + 9)::text END,
			'pay_group', 'monthly', 'country', 'PH',
			'tax_id', format('%s-%s-%s-000', 100 + i, 200 + i, 300 + i),
			'sss_no', format('34-%s-%s', 1000000 + i * 7919, i % 10),
			'philhealth_no', format('12-%s-%s', 100000000 + i * 104729, i % 10),
			'pagibig_no', format('1210-%s-%s', 1000 + i, 2000 + i),
			'bank_name', 'BDO Unibank', 'bank_bic', 'BNORPHMM',
			'bank_account', CASE WHEN i = 11 THEN NULL ELSE format('00%s', 1234500000 + i * 7) END,
			'rate_kind', 'monthly', 'rate', (14000 + (i * 2713) % 90000)::text,
			'department', (ARRAY['Claims', 'Finance', 'Operations', 'IT'])[1 + i % 4],
			'position', 'Staff') ORDER BY i)
		FROM generate_series(1, 50) i));

	PERFORM payroll.import_inputs('ACME', 'seed', (
		SELECT jsonb_agg(x.o) FROM (
			SELECT jsonb_build_object('_line', i, 'number', format('E%s', 1000 + i),
				'on_date', (m + 14)::text, 'code', 'OT_HOURS', 'quantity', (i % 9)::text) AS o
			FROM generate_series(1, 50, 3) i
			UNION ALL
			SELECT jsonb_build_object('_line', 100 + i, 'number', format('E%s', 1000 + i),
				'on_date', (m + 3)::text, 'code', 'ABSENT_DAYS', 'quantity', '1')
			FROM generate_series(2, 50, 10) i
			UNION ALL
			SELECT jsonb_build_object('_line', 200, 'number', 'E1005', 'on_date', (m + 1)::text,
				'code', 'LOAN', 'amount', '1500', 'note', 'Salary loan 3 of 12')) x));

	v_run := payroll.run_create('ACME', 'monthly', 'regular', m,
				    (m + interval '1 month' - interval '1 day')::date,
				    (m + interval '1 month' - interval '1 day')::date);
	PERFORM payroll.run_compute('ACME', v_run);
	SELECT version INTO v_version FROM payroll.runs WHERE run_id = v_run;
	PERFORM payroll.run_submit('ACME', v_run, v_version);
END
$seed$;
RESET SESSION AUTHORIZATION;
